/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Small device permissions: `shm` shares the host's /dev/shm (apps that
 * talk to host processes through POSIX shared memory), `alsa` passes the
 * raw sound devices in /dev/snd (apps that bypass the sound server). */
#include "device-nodes.h"
#include "desktop.h"

static const char *const alsa_nodes[] = {"/dev/snd", NULL};

gboolean
hutch_devices_plan(HutchPlan *plan, GError **error)
{
  if (hutch_policy_has(plan->policy, HUTCH_PERM_SHM) &&
      !hutch_plan_bind(plan, "/dev/shm", "/dev/shm", 0, "shm", error))
    return FALSE;
  if (hutch_policy_has(plan->policy, HUTCH_PERM_ALSA)) {
    g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
    if (!hutch_bind_device_nodes(plan, alsa_nodes, NULL, "alsa", found, error))
      return FALSE;
    hutch_note_device_nodes(plan, "alsa", found, "no /dev/snd on this host");
  }
  return TRUE;
}
