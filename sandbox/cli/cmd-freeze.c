/* hutch freeze NAME / hutch thaw NAME. */
#include "cmd-common.h"
#include "commands.h"
#include "error.h"
#include "freeze.h"
#include "state.h"

static int
freeze_command(int argc, char **argv, gboolean frozen)
{
  GOptionEntry entries[] = {{NULL}};
  g_autoptr(GError) error = NULL;
  const char *name;
  if (!hutch_cmd_parse("NAME",
                       frozen ? "Freeze every process of a running sandbox."
                              : "Let a frozen sandbox run again.",
                       entries, &argc, &argv, &error) ||
      !hutch_cmd_one_name(argc, argv, &name, &error))
    return hutch_cmd_fail(error);
  hutch_state_clean_stale();
  g_autoptr(HutchState) st = hutch_state_find(name, &error);
  if (!st)
    return hutch_cmd_fail(error);
  HutchSandboxState phase = hutch_state_phase(st);
  if (phase != HUTCH_SB_RUNNING) {
    g_set_error(&error, HUTCH_ERROR, HUTCH_ERROR_FAILED, "sandbox %s is %s; try again later", name,
                phase == HUTCH_SB_STARTING ? "still starting" : "stopping");
    return hutch_cmd_fail(error);
  }
  if (!hutch_freeze(st, frozen, &error))
    return hutch_cmd_fail(error);
  return 0;
}

int
hutch_cmd_freeze(int argc, char **argv)
{
  return freeze_command(argc, argv, TRUE);
}

int
hutch_cmd_thaw(int argc, char **argv)
{
  return freeze_command(argc, argv, FALSE);
}
