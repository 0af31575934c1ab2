/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The user's authority files are never readable in a sandbox, whatever its
 * home mode or grants: ~/.Xauthority (or $XAUTHORITY) holds the cookie
 * that makes any client a trusted one (XTEST, reading every window,
 * RECORD), and startx's ~/.serverauth.* the same; ~/.ICEauthority (or
 * $ICEAUTHORITY) lets a client into the session manager. Wherever a bind
 * shows one of them, an empty unreadable file covers it. The app's own
 * cookie is the one-entry file x11.c binds. */
#include "x11-authority.h"
#include "error.h"
#include "util.h"
#include "runtime-files.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WHY "x11: your authority files stay hidden"

static void
add_candidate(HutchPlan *plan, GPtrArray *files, const char *path)
{
  if (!path || !g_path_is_absolute(path))
    return;
  struct stat st;
  char *real = hutch_plan_resolve(plan, path, &st);
  if (!real || !S_ISREG(st.st_mode)) {
    g_free(real);
    return;
  }
  for (guint i = 0; i < files->len; i++)
    if (g_str_equal(files->pdata[i], real)) {
      g_free(real);
      return;
    }
  g_ptr_array_add(files, real);
}

/* Whether some bind shows DIR or a directory above it. */
static gboolean
bound(HutchPlan *plan, const char *dir)
{
  for (guint i = 0; i < plan->ops->len; i++) {
    const HutchOp *op = &g_array_index(plan->ops, HutchOp, i);
    if (op->type == HUTCH_OP_BIND && op->show_src && hutch_path_is_under(dir, op->show_src))
      return TRUE;
  }
  return FALSE;
}

/* startx leaves the server's cookie in ~/.serverauth.PID. */
static void
add_serverauth(HutchPlan *plan, GPtrArray *files)
{
  struct stat st;
  g_autofree char *home = hutch_plan_resolve(plan, plan->home, &st);
  DIR *dir = home && bound(plan, home) ? opendir(home) : NULL;
  if (!dir)
    return;
  struct dirent *e;
  while ((e = readdir(dir)))
    if (g_str_has_prefix(e->d_name, ".serverauth.")) {
      g_autofree char *path = g_build_filename(home, e->d_name, NULL);
      add_candidate(plan, files, path);
    }
  closedir(dir);
}

/* The real paths of the user's authority files on this host. */
static GPtrArray *
authority_files(HutchPlan *plan)
{
  GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
  g_autofree char *xauth = g_build_filename(plan->home, ".Xauthority", NULL);
  g_autofree char *iceauth = g_build_filename(plan->home, ".ICEauthority", NULL);
  add_candidate(plan, files, xauth);
  add_candidate(plan, files, iceauth);
  add_candidate(plan, files, g_getenv("XAUTHORITY"));
  add_candidate(plan, files, g_getenv("ICEAUTHORITY"));
  add_serverauth(plan, files);
  return files;
}

static gboolean
empty_file(HutchPlan *plan, char **path, GError **error)
{
  *path = hutch_runtime_file(plan, "empty");
  if (!*path) /* a dry run */
    return TRUE;
  if (g_file_test(*path, G_FILE_TEST_EXISTS))
    return TRUE;
  return g_file_set_contents_full(*path, "", 0, G_FILE_SET_CONTENTS_NONE, 0000, error);
}

static gboolean
cover(HutchPlan *plan, const char *inside, const char *file, GError **error)
{
  g_autofree char *empty = NULL;
  if (!empty_file(plan, &empty, error))
    return FALSE;
  hutch_plan_note(plan, "x11: %s would show your authority file %s: covered by an empty one",
                  inside, file);
  if (empty)
    return hutch_plan_bind(plan, empty, inside, HUTCH_OPF_RDONLY, WHY, error);
  HutchOp *op = hutch_plan_add_op(plan, HUTCH_OP_BIND, "/(empty file)", inside, WHY);
  op->flags = HUTCH_OPF_RDONLY | HUTCH_OPF_FILE;
  return TRUE;
}

/* Every place in the sandbox where a bind planned so far shows FILE. */
static GPtrArray *
places_showing(HutchPlan *plan, const char *file)
{
  GPtrArray *places = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < plan->ops->len; i++) {
    const HutchOp *op = &g_array_index(plan->ops, HutchOp, i);
    if (op->type != HUTCH_OP_BIND || !op->show_src || !op->show_dest ||
        !hutch_path_is_under(file, op->show_src))
      continue;
    const char *rest = g_str_equal(op->show_src, "/") ? file : file + strlen(op->show_src);
    g_autofree char *inside = g_strconcat(op->show_dest, rest, NULL);
    gboolean seen = FALSE;
    for (guint j = 0; j < places->len && !seen; j++)
      seen = g_str_equal(places->pdata[j], inside);
    if (!seen)
      g_ptr_array_add(places, g_steal_pointer(&inside));
  }
  return places;
}

gboolean
hutch_x11_hide_authority(HutchPlan *plan, GError **error)
{
  g_autoptr(GPtrArray) files = authority_files(plan);
  for (guint i = 0; i < files->len; i++) {
    g_autoptr(GPtrArray) places = places_showing(plan, files->pdata[i]);
    for (guint j = 0; j < places->len; j++)
      if (!cover(plan, places->pdata[j], files->pdata[i], error))
        return FALSE;
  }
  return TRUE;
}
