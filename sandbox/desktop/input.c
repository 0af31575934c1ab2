/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Input passthrough (`input`): evdev, uinput and hidraw nodes, which games
 * read game controllers from (SDL, Steam Input). /dev/input is bound as a
 * directory, so a controller plugged in later appears inside too; udev's
 * database (/run/udev) is shown read-only where the host runs udev, and
 * /run/host/container-manager tells SDL (2.0.16 on) that it runs in a
 * container, where it watches /dev/input with inotify instead of waiting
 * for udev events that never cross into the sandbox, as flatpak and
 * Steam's pressure-vessel do. */
#include "device-nodes.h"
#include "desktop.h"
#include "runtime-files.h"

#define WHY "input"

static const char *const input_nodes[] = {"/dev/input", "/dev/uinput", NULL};

static const HutchDevicePattern input_patterns[] = {
    {"hidraw", TRUE},
    {NULL, FALSE},
};

gboolean
hutch_input_plan(HutchPlan *plan, GError **error)
{
  if (!hutch_policy_has(plan->policy, HUTCH_PERM_INPUT))
    return TRUE;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
  if (!hutch_bind_device_nodes(plan, input_nodes, input_patterns, WHY, found, error))
    return FALSE;
  hutch_note_device_nodes(plan, WHY, found, "no input device nodes on this host");
  if (!hutch_plan_bind(plan, "/run/udev", "/run/udev", HUTCH_OPF_RDONLY | HUTCH_OPF_OPTIONAL, WHY,
                       error))
    return FALSE;
  if (!plan->policy->dry_run && !hutch_runtime_write(plan, "container-manager", "hutch\n", error))
    return FALSE;
  return hutch_runtime_bind(plan, "container-manager", "/run/host/container-manager",
                            HUTCH_OPF_RDONLY | HUTCH_OPF_FILE, WHY, error);
}
