/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "access.h"
#include "atomic-file.h"

#define GROUP "Access"

void
hutch_access_free(HutchAccess *a)
{
  if (!a)
    return;
  g_free(a->home);
  g_strfreev(a->ro);
  g_strfreev(a->rw);
  g_strfreev(a->hidden);
  g_strfreev(a->tmpfs);
  g_strfreev(a->devices);
  g_free(a->network);
  g_strfreev(a->display);
  g_free(a);
}

static void
set_list(GKeyFile *kf, const char *key, char **values)
{
  if (values && *values)
    g_key_file_set_string_list(kf, GROUP, key, (const char *const *)values, g_strv_length(values));
}

gboolean
hutch_access_save(const char *dir, const HutchAccess *a, GError **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new();
  g_key_file_set_string(kf, GROUP, "home", a->home);
  g_key_file_set_string(kf, GROUP, "network", a->network);
  set_list(kf, "ro", a->ro);
  set_list(kf, "rw", a->rw);
  set_list(kf, "hidden", a->hidden);
  set_list(kf, "tmpfs", a->tmpfs);
  set_list(kf, "devices", a->devices);
  set_list(kf, "display", a->display);
  gsize len;
  g_autofree char *text = g_key_file_to_data(kf, &len, NULL);
  g_autofree char *path = g_build_filename(dir, "access", NULL);
  return hutch_file_replace(path, text, len, 0600, error);
}

static char **
get_list(GKeyFile *kf, const char *key)
{
  char **v = g_key_file_get_string_list(kf, GROUP, key, NULL, NULL);
  return v ? v : g_new0(char *, 1);
}

HutchAccess *
hutch_access_load(const char *dir)
{
  g_autofree char *path = g_build_filename(dir, "access", NULL);
  g_autoptr(GKeyFile) kf = g_key_file_new();
  if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, NULL))
    return NULL;
  HutchAccess *a = g_new0(HutchAccess, 1);
  a->home = g_key_file_get_string(kf, GROUP, "home", NULL);
  a->network = g_key_file_get_string(kf, GROUP, "network", NULL);
  a->ro = get_list(kf, "ro");
  a->rw = get_list(kf, "rw");
  a->hidden = get_list(kf, "hidden");
  a->tmpfs = get_list(kf, "tmpfs");
  a->devices = get_list(kf, "devices");
  a->display = get_list(kf, "display");
  return a;
}
