/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch panel [OPTIONS]: exec hutch-panel, which serves the web panel
 * (sandbox/panel/). The panel is a program of its own so that libsoup is
 * loaded when a panel runs and never when a sandbox launches. */
#include "config.h"
#include "commands.h"
#include "error.h"
#include "paths.h"
#include <errno.h>
#include <unistd.h>

static char *
panel_path(void)
{
  return hutch_running_from_build_tree()
             ? g_build_filename(HUTCH_BUILD_ROOT, "sandbox", "hutch-panel", NULL)
             : g_build_filename(HUTCH_LIBEXECDIR, "hutch-panel", NULL);
}

int
hutch_cmd_panel(int argc, char **argv, GError **error)
{
  g_autofree char *panel = panel_path();
  /* The panel starts sandboxes with this very hutch. */
  g_autofree char *self = g_file_read_link("/proc/self/exe", error);
  if (!self)
    return -1;
  g_autofree char *hutch_arg = g_strconcat("--hutch=", self, NULL);
  GPtrArray *args = g_ptr_array_new();
  g_ptr_array_add(args, "hutch-panel");
  g_ptr_array_add(args, hutch_arg);
  for (int i = 1; i < argc; i++)
    g_ptr_array_add(args, argv[i]);
  g_ptr_array_add(args, NULL);
  execv(panel, (char **)args->pdata);
  int err = errno;
  g_ptr_array_free(args, TRUE);
  if (err == ENOENT)
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "this hutch was built without the panel (%s is missing): build it with "
                "libsoup-3.0 (apt install libsoup-3.0-dev)",
                panel);
  else
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot run %s: %s", panel, g_strerror(err));
  return -1;
}
