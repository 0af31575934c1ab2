/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "run-hints.h"
#include "elf-needed.h"
#include <stdio.h>
#include <string.h>

/* The host file the command names: itself when a path, else the first in
 * the caller's PATH. */
static char *
host_program(const char *command)
{
  if (strchr(command, '/'))
    return g_file_test(command, G_FILE_TEST_IS_REGULAR) ? g_strdup(command) : NULL;
  return g_find_program_in_path(command);
}

/* HOST_PATH is visible at the same path inside: under a bind of the same
 * host and sandbox path. */
static gboolean
visible_inside(const HutchPlan *plan, const char *host_path)
{
  for (guint i = 0; i < plan->ops->len; i++) {
    const HutchOp *op = &g_array_index(plan->ops, HutchOp, i);
    if (op->type != HUTCH_OP_BIND || !op->show_src || g_strcmp0(op->show_src, op->show_dest))
      continue;
    gsize len = strlen(op->show_src);
    if (g_str_has_prefix(host_path, op->show_src) &&
        (host_path[len] == '/' || host_path[len] == '\0' || g_str_equal(op->show_src, "/")))
      return TRUE;
  }
  return FALSE;
}

static void
hint_not_found(const HutchPlan *plan, const char *command)
{
  g_autofree char *host = host_program(command);
  if (!host || visible_inside(plan, host))
    return;
  g_autofree char *dir = g_path_get_dirname(host);
  fprintf(stderr,
          "hutch: hint: %s is %s on this host, where the sandbox does not see it; grant it with "
          "--ro %s (or a profile's ro=)\n",
          command, host, dir);
}

static gboolean
needs_display(const char *program)
{
  static const char *const gui_libs[] = {"libX11.so", "libxcb.so",    "libwayland-client.so",
                                         "libgtk-",   "libQt5Gui.so", "libQt6Gui.so",
                                         "libSDL2-",  "libglfw.so",   NULL};
  g_auto(GStrv) needed = hutch_elf_needed(program);
  for (char **n = needed; n && *n; n++)
    for (const char *const *lib = gui_libs; *lib; lib++)
      if (g_str_has_prefix(*n, *lib))
        return TRUE;
  return FALSE;
}

static void
hint_no_display(const HutchPlan *plan, const char *command)
{
  const HutchPolicy *policy = plan->policy;
  if (hutch_policy_has(policy, HUTCH_PERM_DISPLAY) || hutch_policy_has(policy, HUTCH_PERM_X11) ||
      hutch_policy_has(policy, HUTCH_PERM_WAYLAND))
    return;
  if (!g_getenv("DISPLAY") && !g_getenv("WAYLAND_DISPLAY"))
    return;
  g_autofree char *host = host_program(command);
  if (!host || !needs_display(host))
    return;
  fprintf(stderr,
          "hutch: hint: %s is a graphical program, but its sandbox has no display: grant one "
          "with --allow display (in a profile: include=desktop.inc)\n",
          command);
}

void
hutch_run_hints(const HutchPlan *plan, int status)
{
  if (status == 0 || !plan->app_argv || !plan->app_argv[0])
    return;
  const char *command = plan->app_argv[0];
  if (status == 127)
    hint_not_found(plan, command);
  else if (status < 128)
    hint_no_display(plan, command);
}
