/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Undo handlers for host resources of sandboxes whose hutch died, by the
 * type name recorded with hutch_state_add_cleanup (see state.h). Add one
 * line per resource type. */
#include "cleanup-handlers.h"
#include "audio.h"
#include "cgroup.h"
#include "x11.h"
#include "state.h"

/* These two cannot tell a failure yet (their servers' code is being
 * replaced: the audio relay, the X11 rewrite); until they return one, an
 * undo they could not do is not retried. */
static gboolean
audio_cleanup(const char *data, GError **error)
{
  hutch_audio_cleanup(data);
  return TRUE;
}

static gboolean
x11_cleanup(const char *data, GError **error)
{
  hutch_x11_cleanup(data);
  return TRUE;
}

const HutchCleanupHandler hutch_cleanup_handlers[] = {
    {"cgroup", hutch_cgroup_cleanup},
    {HUTCH_AUDIO_CLEANUP, audio_cleanup},
    {HUTCH_X11_CLEANUP, x11_cleanup},
    {NULL, NULL},
};
