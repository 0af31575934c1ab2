/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "file-args.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The sandbox has its own of these; the host's are never an app's file. */
static gboolean
kernel_path(const char *path)
{
  static const char *const dirs[] = {"/proc", "/sys", "/dev", NULL};
  for (const char *const *d = dirs; *d; d++) {
    gsize n = strlen(*d);
    if (strncmp(path, *d, n) == 0 && (path[n] == '/' || path[n] == '\0'))
      return TRUE;
  }
  return FALSE;
}

/* The local path of a file: URI, or NULL (another host, another scheme). */
static char *
uri_path(const char *arg)
{
  g_autofree char *host = NULL;
  char *path = g_filename_from_uri(arg, &host, NULL);
  if (path && host && !g_str_equal(host, "localhost"))
    g_clear_pointer(&path, g_free);
  return path;
}

gboolean
hutch_file_arg_parse(const char *arg, const char *cwd, HutchFileArg *out)
{
  memset(out, 0, sizeof(*out));
  g_autofree char *given = NULL;
  if (g_ascii_strncasecmp(arg, "file:", 5) == 0) {
    if (!(given = uri_path(arg)))
      return FALSE;
    out->uri = TRUE;
  } else if (!*arg || arg[0] == '-' || strstr(arg, "://")) {
    return FALSE;
  } else {
    given = g_path_is_absolute(arg) ? g_strdup(arg) : g_build_filename(cwd, arg, NULL);
  }
  struct stat st;
  if (stat(given, &st) == 0) {
    char *real = S_ISREG(st.st_mode) ? realpath(given, NULL) : NULL;
    if (!real)
      return FALSE; /* a directory, a device, a socket: not a document */
    out->path = g_strdup(real);
    free(real);
    out->exists = TRUE;
  } else {
    /* A new file only where the argument is clearly a path, in a
     * directory the user may create it in: a bare word, or a path no one
     * could create, is just a word. */
    if (errno != ENOENT || (!out->uri && !strchr(arg, '/')))
      return FALSE;
    g_autofree char *dir = g_path_get_dirname(given);
    g_autofree char *base = g_path_get_basename(given);
    char *real_dir = realpath(dir, NULL);
    gboolean ok = real_dir && g_file_test(real_dir, G_FILE_TEST_IS_DIR) &&
                  access(real_dir, W_OK) == 0 && !g_str_equal(base, ".") &&
                  !g_str_equal(base, "..") && !g_str_equal(base, "/");
    if (ok)
      out->path = g_build_filename(real_dir, base, NULL);
    free(real_dir);
    if (!ok)
      return FALSE;
  }
  if (kernel_path(out->path)) {
    hutch_file_arg_clear(out);
    return FALSE;
  }
  return TRUE;
}

void
hutch_file_arg_clear(HutchFileArg *arg)
{
  g_clear_pointer(&arg->path, g_free);
}
