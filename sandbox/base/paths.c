/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"
#include "paths.h"
#include "error.h"
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

gboolean
hutch_running_from_build_tree(void)
{
  static int cached = -1;
  if (cached < 0) {
    g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
    g_autofree char *build_dir = g_build_filename(HUTCH_BUILD_ROOT, "sandbox", NULL);
    g_autofree char *exe_dir = exe ? g_path_get_dirname(exe) : NULL;
    cached = exe_dir && g_str_equal(exe_dir, build_dir);
  }
  return cached;
}

const char *
hutch_helper_path(const char *name)
{
  static GHashTable *cache;
  if (!cache)
    cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  const char *hit = g_hash_table_lookup(cache, name);
  if (hit)
    return hit;
  char *path = hutch_running_from_build_tree()
                   ? g_build_filename(HUTCH_BUILD_ROOT, "helpers", name, NULL)
                   : g_build_filename(HUTCH_LIBEXECDIR, name, NULL);
  g_hash_table_insert(cache, g_strdup(name), path);
  return path;
}

const char *
hutch_shipped_profiles_dir(void)
{
  static char *dir;
  if (!dir)
    dir = hutch_running_from_build_tree() ? g_build_filename(HUTCH_SOURCE_ROOT, "profiles", NULL)
                                          : g_build_filename(HUTCH_DATADIR, "profiles", NULL);
  return dir;
}

/* The runtime dir must be ours and private: another user who could create it
 * first could otherwise plant sockets and cookies we would hand to the app. */
static gboolean
ensure_private_dir(const char *dir, GError **error)
{
  if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot create %s: %s", dir,
                g_strerror(errno));
    return FALSE;
  }
  struct stat st;
  if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid()) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "%s is not a directory owned by you; remove it and try again", dir);
    return FALSE;
  }
  if ((st.st_mode & 077) && chmod(dir, 0700) < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot make %s private: %s", dir,
                g_strerror(errno));
    return FALSE;
  }
  return TRUE;
}

const char *
hutch_runtime_root(GError **error)
{
  static char *root;
  if (root)
    return root;
  const char *xdg = g_getenv("XDG_RUNTIME_DIR");
  g_autofree char *dir = NULL;
  struct stat st;
  if (xdg && g_path_is_absolute(xdg) && stat(xdg, &st) == 0 && st.st_uid == getuid()) {
    dir = g_build_filename(xdg, "hutch", NULL);
  } else {
    g_autofree char *base = g_strdup_printf("/tmp/hutch-%u", (unsigned)getuid());
    if (!ensure_private_dir(base, error))
      return NULL;
    dir = g_build_filename(base, "run", NULL);
  }
  if (!ensure_private_dir(dir, error))
    return NULL;
  root = g_steal_pointer(&dir);
  return root;
}

char *
hutch_user_data_dir(void)
{
  return g_build_filename(g_get_user_data_dir(), "hutch", NULL);
}
