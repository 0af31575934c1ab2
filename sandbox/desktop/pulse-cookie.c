/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The user's sound-server cookie stays out of every sandbox, granted audio
 * or not: it admits its holder to the whole protocol wherever the server
 * listens (module-native-protocol-tcp on a network the sandbox reaches),
 * and the audio relay shows it to the server itself. A home shared with
 * the sandbox (home=ro or rw, or a grant of ~/.config) would show it, so
 * where one of the cookie files would be visible, an empty, unreadable
 * file covers it. */
#include "pulse-cookie.h"
#include "pulse-server.h"
#include "runtime-files.h"
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define WHY "audio: the sound server's cookie"
#define COVER "pulse-cookie-cover"

static gboolean
path_under(const char *path, const char *dir)
{
  gsize n = strlen(dir);
  return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0' || g_str_equal(dir, "/"));
}

/* Where host file PATH (resolved) shows in the sandbox as planned so far:
 * through the last bind that holds it, unless a later mount covers that
 * place. NULL: nowhere. */
static char *
sandbox_view(HutchPlan *plan, const char *path)
{
  char *seen = NULL;
  for (guint i = 0; i < plan->ops->len; i++) {
    const HutchOp *op = &g_array_index(plan->ops, HutchOp, i);
    if (!op->show_dest)
      continue;
    if (op->type == HUTCH_OP_BIND && op->show_src && path_under(path, op->show_src)) {
      g_free(seen);
      seen = g_strconcat(op->show_dest, path + strlen(op->show_src), NULL);
    } else if (seen && path_under(seen, op->show_dest) &&
               (op->type == HUTCH_OP_BIND || op->type == HUTCH_OP_TMPFS ||
                op->type == HUTCH_OP_OVERLAY)) {
      g_clear_pointer(&seen, g_free);
    }
  }
  return seen;
}

static gboolean
cover(HutchPlan *plan, const char *sandbox_path, GError **error)
{
  g_autofree char *file = hutch_runtime_file(plan, COVER);
  if (file && !g_file_test(file, G_FILE_TEST_EXISTS) &&
      !g_file_set_contents_full(file, "", 0, G_FILE_SET_CONTENTS_NONE, 0000, error))
    return FALSE;
  return hutch_runtime_bind(plan, COVER, sandbox_path, HUTCH_OPF_RDONLY | HUTCH_OPF_FILE, WHY,
                            error);
}

gboolean
hutch_pulse_cookie_plan(HutchPlan *plan, GError **error)
{
  g_auto(GStrv) servers = NULL;
  g_autofree char *remote = NULL, *setting = NULL;
  hutch_pulse_server_candidates(&servers, &remote, &setting);
  g_auto(GStrv) files = hutch_pulse_cookie_files(setting);
  for (char **f = files; *f; f++) {
    struct stat st;
    g_autofree char *real = hutch_plan_resolve(plan, *f, &st);
    g_autofree char *seen = real ? sandbox_view(plan, real) : NULL;
    if (seen && !cover(plan, seen, error))
      return FALSE;
  }
  return TRUE;
}
