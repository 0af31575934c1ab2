/* Undo handlers for host resources of sandboxes whose hutch died, by the
 * type name recorded with hutch_state_add_cleanup (see state.h). Add one
 * line per resource type. */
#include "audio.h"
#include "cgroup.h"
#include "state.h"

const HutchCleanupHandler hutch_cleanup_handlers[] = {
    {"cgroup", hutch_cgroup_cleanup},
    {NULL, NULL},
};

void (*const hutch_stale_sweeps[])(void) = {
    hutch_audio_cleanup_orphans,
    NULL,
};
