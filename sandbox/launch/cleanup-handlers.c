/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Undo handlers for host resources of sandboxes whose hutch died, by the
 * type name recorded with hutch_state_add_cleanup (see state.h). Add one
 * line per resource type. */
#include "cleanup-handlers.h"
#include "cgroup.h"
#include "net.h"
#include "dbus-proxy.h"
#include "state.h"

const HutchCleanupHandler hutch_cleanup_handlers[] = {
    {"cgroup", hutch_cgroup_cleanup},
    {HUTCH_PASTA_CLEANUP, hutch_pasta_cleanup},
    {HUTCH_DBUS_PROXY_CLEANUP, hutch_dbus_proxy_cleanup},
    {NULL, NULL},
};
