/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "profile-list.h"
#include "profile-lint.h"
#include "profile.h"
#include <string.h>

void
hutch_profile_entry_free(HutchProfileEntry *e)
{
  if (!e)
    return;
  g_free(e->name);
  g_free(e->path);
  g_free(e->description);
  g_free(e->override);
  g_free(e);
}

static HutchProfileEntry *
read_entry(const char *dir, const char *name, gboolean shadowed)
{
  HutchProfileEntry *e = g_new0(HutchProfileEntry, 1);
  g_autofree char *file = g_strconcat(name, ".profile", NULL);
  e->name = g_strdup(name);
  e->path = g_build_filename(dir, file, NULL);
  e->shadowed = shadowed;
  g_autoptr(HutchProfileLoader) loader = hutch_profile_loader_new(NULL);
  g_autoptr(HutchPolicy) policy = hutch_policy_new();
  e->broken = !hutch_profile_loader_apply_file(loader, policy, e->path, NULL, 0);
  e->description = g_strdup(policy->description ? policy->description : "");
  g_autofree char *override = hutch_profile_override_path(name);
  if (!shadowed && g_file_test(override, G_FILE_TEST_EXISTS))
    e->override = g_steal_pointer(&override);
  return e;
}

GPtrArray *
hutch_profile_list(void)
{
  GPtrArray *list = g_ptr_array_new_with_free_func((GDestroyNotify)hutch_profile_entry_free);
  g_auto(GStrv) search = hutch_profile_search_path();
  g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (char **d = search; *d; d++) {
    g_auto(GStrv) names = hutch_profile_names((char *[]){*d, NULL});
    for (char **name = names; *name; name++) {
      g_ptr_array_add(list, read_entry(*d, *name, g_hash_table_contains(seen, *name)));
      g_hash_table_add(seen, g_strdup(*name));
    }
  }
  return list;
}

gboolean
hutch_profile_check(const char *arg, GPtrArray **errors, GPtrArray **warnings, GError **error)
{
  g_autoptr(HutchProfileLoader) loader = hutch_profile_loader_new(NULL);
  g_autoptr(HutchPolicy) policy = hutch_policy_new();
  *errors = g_ptr_array_new_with_free_func(g_free);
  if (strchr(arg, '/') || g_file_test(arg, G_FILE_TEST_EXISTS))
    hutch_profile_loader_apply_file(loader, policy, arg, NULL, 0);
  else if (!hutch_profile_loader_apply_profile(loader, policy, arg, error))
    return FALSE;
  GPtrArray *found = hutch_profile_loader_errors(loader);
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add(*errors, g_strdup(found->pdata[i]));
  if (warnings) {
    *warnings = g_ptr_array_new_with_free_func(g_free);
    if (!found->len)
      hutch_profile_lint(policy, *warnings);
  }
  return TRUE;
}
