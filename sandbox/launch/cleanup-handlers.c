/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Undo handlers for host resources of sandboxes whose hutch died, by the
 * type name recorded with hutch_state_add_cleanup (see state.h). Add one
 * line per resource type. */
#include "cleanup-handlers.h"
#include "cgroup.h"
#include "dbus-proxy.h"
#include "net.h"
#include "state.h"

/* These two end a helper process of the dead sandbox (pasta, the bus
 * proxy), which cannot fail in a way a retry would mend: an undo they
 * could not do is not retried. */
static gboolean
pasta_cleanup(const char *data, GError **error)
{
  hutch_pasta_cleanup(data);
  return TRUE;
}

static gboolean
dbus_proxy_cleanup(const char *data, GError **error)
{
  hutch_dbus_proxy_cleanup(data);
  return TRUE;
}

const HutchCleanupHandler hutch_cleanup_handlers[] = {
    {"cgroup", hutch_cgroup_cleanup},
    {HUTCH_PASTA_CLEANUP, pasta_cleanup},
    {HUTCH_DBUS_PROXY_CLEANUP, dbus_proxy_cleanup},
    {NULL, NULL},
};
