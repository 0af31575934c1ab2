/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "device-nodes.h"
#include <string.h>
#include <unistd.h>

static gboolean
matches(const HutchDevicePattern *patterns, const char *name)
{
  for (const HutchDevicePattern *p = patterns; p && p->prefix; p++) {
    if (!g_str_has_prefix(name, p->prefix))
      continue;
    const char *rest = name + strlen(p->prefix);
    if (!p->digits)
      return TRUE;
    if (!*rest)
      continue;
    while (g_ascii_isdigit(*rest))
      rest++;
    if (!*rest)
      return TRUE;
  }
  return FALSE;
}

static int
compare_names(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static gboolean
bind_node(HutchPlan *plan, const char *path, const char *why, GPtrArray *found, GError **error)
{
  if (access(path, F_OK) < 0)
    return TRUE;
  if (!hutch_plan_bind(plan, path, path, HUTCH_OPF_DEVICES | HUTCH_OPF_OPTIONAL, why, error))
    return FALSE;
  g_ptr_array_add(found, g_strdup(path));
  return TRUE;
}

gboolean
hutch_bind_device_nodes(HutchPlan *plan, const char *const *nodes,
                        const HutchDevicePattern *patterns, const char *why, GPtrArray *found,
                        GError **error)
{
  for (const char *const *n = nodes; n && *n; n++)
    if (!bind_node(plan, *n, why, found, error))
      return FALSE;
  if (!patterns)
    return TRUE;
  g_autoptr(GDir) dev = g_dir_open("/dev", 0, NULL);
  if (!dev)
    return TRUE;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  for (const char *name; (name = g_dir_read_name(dev));)
    if (matches(patterns, name))
      g_ptr_array_add(names, g_strdup(name));
  /* Sorted, so the plan (and its dry-run) is the same from run to run. */
  g_ptr_array_sort(names, compare_names);
  for (guint i = 0; i < names->len; i++) {
    const char *name = names->pdata[i];
    g_autofree char *path = g_build_filename("/dev", name, NULL);
    if (!bind_node(plan, path, why, found, error))
      return FALSE;
  }
  return TRUE;
}

void
hutch_note_device_nodes(HutchPlan *plan, const char *why, GPtrArray *found, const char *none)
{
  if (found->len == 0) {
    hutch_plan_note(plan, "%s: %s", why, none);
    return;
  }
  g_ptr_array_add(found, NULL);
  g_autofree char *list = g_strjoinv(" ", (char **)found->pdata);
  g_ptr_array_remove_index(found, found->len - 1);
  hutch_plan_note(plan, "%s: device nodes %s", why, list);
}
