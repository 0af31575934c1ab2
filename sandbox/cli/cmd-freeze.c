/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch freeze NAME / hutch thaw NAME. */
#include "cmd-common.h"
#include "commands.h"
#include "freeze.h"
#include "state.h"

static int
freeze_command(int argc, char **argv, gboolean frozen, GError **error)
{
  g_autoptr(HutchState) st = hutch_cmd_open_sandbox(
      frozen ? "Freeze every process of a running sandbox." : "Let a frozen sandbox run again.",
      NULL, &argc, &argv, error);
  if (!st)
    return -1;
  return hutch_freeze_running(st, frozen, error) ? 0 : -1;
}

int
hutch_cmd_freeze(int argc, char **argv, GError **error)
{
  return freeze_command(argc, argv, TRUE, error);
}

int
hutch_cmd_thaw(int argc, char **argv, GError **error)
{
  return freeze_command(argc, argv, FALSE, error);
}
