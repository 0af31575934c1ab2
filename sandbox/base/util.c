/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "util.h"
#include "error.h"
#include "file-read.h"
#include "suggest.h"
#include <errno.h>
#include <ftw.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  if (remove(path) < 0 && errno != ENOENT)
    g_debug("cannot remove %s: %s", path, g_strerror(errno));
  return 0;
}

void
hutch_rm_rf(const char *path)
{
  nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

char *
hutch_format_size(guint64 bytes)
{
  static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = (double)bytes;
  guint u = 0;
  while (v >= 1024 && u + 1 < G_N_ELEMENTS(units)) {
    v /= 1024;
    u++;
  }
  return u == 0 ? g_strdup_printf("%" G_GUINT64_FORMAT " B", bytes)
                : g_strdup_printf("%.1f %s", v, units[u]);
}

gboolean
hutch_kernel_has_cgroupns(void)
{
  return access("/proc/self/ns/cgroup", F_OK) == 0;
}

/* XDG user dirs by the names flatpak uses, so profile authors need not know
 * a user's localised folder names. Without a user-dirs.dirs entry, the
 * xdg-user-dirs default under $HOME applies (GLib knows only Desktop's). */
static const struct {
  const char *name;
  GUserDirectory dir;
  const char *fallback;
} xdg_names[] = {
    {"xdg-desktop", G_USER_DIRECTORY_DESKTOP, "Desktop"},
    {"xdg-documents", G_USER_DIRECTORY_DOCUMENTS, "Documents"},
    {"xdg-download", G_USER_DIRECTORY_DOWNLOAD, "Downloads"},
    {"xdg-music", G_USER_DIRECTORY_MUSIC, "Music"},
    {"xdg-pictures", G_USER_DIRECTORY_PICTURES, "Pictures"},
    {"xdg-public-share", G_USER_DIRECTORY_PUBLIC_SHARE, "Public"},
    {"xdg-templates", G_USER_DIRECTORY_TEMPLATES, "Templates"},
    {"xdg-videos", G_USER_DIRECTORY_VIDEOS, "Videos"},
};

/* GLib reads user-dirs.dirs with a blocking open the first time; an app
 * with a writable home may have put a FIFO there. */
static gboolean
check_user_dirs_file(GError **error)
{
  g_autofree char *path = g_build_filename(g_get_user_config_dir(), "user-dirs.dirs", NULL);
  if (hutch_check_regular_or_absent(path, error))
    return TRUE;
  g_prefix_error(error, "cannot look up the XDG user directories: ");
  return FALSE;
}

static char *
xdg_dir_for(const char *name, const char *home)
{
  for (gsize i = 0; i < G_N_ELEMENTS(xdg_names); i++) {
    if (g_str_equal(xdg_names[i].name, name)) {
      const char *dir = g_get_user_special_dir(xdg_names[i].dir);
      return dir ? g_strdup(dir) : g_build_filename(home, xdg_names[i].fallback, NULL);
    }
  }
  return NULL;
}

static void
unknown_xdg_name(const char *name, GError **error)
{
  const char *names[G_N_ELEMENTS(xdg_names) + 1] = {NULL};
  for (gsize i = 0; i < G_N_ELEMENTS(xdg_names); i++)
    names[i] = xdg_names[i].name;
  g_autofree char *hint = hutch_did_you_mean_or_list(name, names);
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE, "unknown XDG directory '%s'%s", name, hint);
}

gboolean
hutch_path_is_under(const char *path, const char *dir)
{
  gsize n = strlen(dir);
  if (g_str_equal(dir, "/"))
    return TRUE;
  return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

gboolean
hutch_path_has_dotdot(const char *path)
{
  /* A ".." that is a whole component; no copy (every path of a plan
   * passes here). */
  for (const char *p = path; (p = strstr(p, "..")); p++)
    if ((p == path || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
      return TRUE;
  return FALSE;
}

/* Already what g_canonicalize_filename would make of it: absolute, and
 * no empty, "." or ".." component, no trailing separator. */
static gboolean
is_canonical(const char *path)
{
  if (path[0] != '/')
    return FALSE;
  if (path[1] == '\0')
    return TRUE;
  for (const char *p = path; (p = strchr(p, '/')); p++) {
    const char *c = p + 1;
    if (*c == '/' || *c == '\0')
      return FALSE;
    if (c[0] == '.' &&
        (c[1] == '/' || c[1] == '\0' || (c[1] == '.' && (c[2] == '/' || c[2] == '\0'))))
      return FALSE;
  }
  return TRUE;
}

char *
hutch_canonical_path(const char *path)
{
  return is_canonical(path) ? g_strdup(path) : g_canonicalize_filename(path, "/");
}

/* DIR and REST joined at one separator, as g_build_filename joins two
 * elements: DIR's trailing and REST's leading separators go, a DIR of
 * separators only stays as it is. One allocation: g_build_filename's
 * varargs and GString cost ten times as much, and each launch expands
 * every rule of secrets.inc twice (a hundred). */
char *
hutch_path_join(const char *dir, const char *rest)
{
  gsize n = strlen(dir);
  while (n > 0 && dir[n - 1] == '/')
    n--;
  while (*rest == '/')
    rest++;
  if (n == 0)
    return g_strconcat(dir, rest, NULL);
  gsize r = strlen(rest);
  char *out = g_malloc(n + 1 + r + 1);
  memcpy(out, dir, n);
  out[n] = '/';
  memcpy(out + n + 1, rest, r + 1);
  return out;
}

char *
hutch_expand_path(const char *path, const char *home, GError **error)
{
  g_autofree char *out = NULL;
  if (g_str_equal(path, "~") || g_str_equal(path, "$HOME"))
    out = g_strdup(home);
  else if (g_str_has_prefix(path, "~/"))
    out = hutch_path_join(home, path + 2);
  else if (g_str_has_prefix(path, "$HOME/"))
    out = hutch_path_join(home, path + 6);
  else if (g_str_has_prefix(path, "xdg-")) {
    const char *slash = strchr(path, '/');
    g_autofree char *name = slash ? g_strndup(path, slash - path) : g_strdup(path);
    if (!check_user_dirs_file(error))
      return NULL;
    g_autofree char *dir = xdg_dir_for(name, home);
    if (!dir) {
      unknown_xdg_name(name, error);
      return NULL;
    }
    out = slash ? hutch_path_join(dir, slash + 1) : g_strdup(dir);
  } else
    out = g_strdup(path);

  if (!g_path_is_absolute(out)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "not an absolute path (start it with /, ~/, $HOME/ or an xdg- name)");
    return NULL;
  }
  if (hutch_path_has_dotdot(out)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE, "'..' is not allowed in paths");
    return NULL;
  }
  return hutch_canonical_path(out);
}

const char *
hutch_user_name(uid_t uid)
{
  static uid_t cached_uid;
  static char *cached;
  if (cached && cached_uid == uid)
    return cached;
  struct passwd *pw = getpwuid(uid);
  g_free(cached);
  cached = pw ? g_strdup(pw->pw_name) : NULL;
  cached_uid = uid;
  return cached;
}
