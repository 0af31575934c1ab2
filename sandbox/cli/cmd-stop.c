/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch stop NAME: SIGTERM, then SIGKILL after the timeout (state/stop.h). */
#include "cmd-common.h"
#include "commands.h"
#include "error.h"
#include "state.h"
#include "stop.h"

int
hutch_cmd_stop(int argc, char **argv, GError **error)
{
  double timeout = HUTCH_STOP_DEFAULT_TIMEOUT_S;
  GOptionEntry entries[] = {
      {"timeout", 't', 0, G_OPTION_ARG_DOUBLE, &timeout,
       "Seconds to wait after SIGTERM before SIGKILL (default 10)", "S"},
      {NULL},
  };
  const char *name;
  if (!hutch_cmd_parse("NAME", "Stop a running sandbox: SIGTERM, then SIGKILL.", entries, &argc,
                       &argv, error) ||
      !hutch_cmd_one_name(argc, argv, &name, error))
    return -1;
  if (!(timeout >= 0) || timeout > 86400) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "--timeout %g: use a number of seconds from 0 to 86400", timeout);
    return -1;
  }
  g_autoptr(HutchState) st = hutch_state_find(name, error);
  if (!st)
    return -1;
  return hutch_state_stop(st, timeout, error) ? 0 : -1;
}
