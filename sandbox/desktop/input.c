/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Input passthrough (`input`): evdev, uinput and hidraw nodes, which games
 * read game controllers from (SDL, Steam Input). */
#include "device-nodes.h"
#include "desktop.h"

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
  return TRUE;
}
