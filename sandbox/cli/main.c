/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"
#include "cleanup-handlers.h"
#include "commands.h"
#include "error.h"
#include "state.h"
#include <glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

typedef enum {
  /* Clean the state of dead sandboxes first (state.h), so that the command
   * sees only live ones and a dead one's host resources are undone. */
  CMD_CLEAN_STALE = 1u << 0,
  /* The command's own status is a program's: it fails with
   * HUTCH_EXIT_FAILURE (125) rather than HUTCH_EXIT_FAILED (1). */
  CMD_RUNS_PROGRAM = 1u << 1,
} CommandFlags;

typedef struct {
  const char *name;
  HutchCommandFn run;
  guint flags;
  const char *summary;
} HutchCommand;

static const HutchCommand commands[] = {
    {"run", hutch_cmd_run, CMD_CLEAN_STALE | CMD_RUNS_PROGRAM, "run a command in a new sandbox"},
    {"profile", hutch_cmd_profile, 0, "list, show and check profiles"},
    /* hutch_state_list cleans what it finds stale as it lists. */
    {"ls", hutch_cmd_ls, 0, "list running sandboxes"},
    {"info", hutch_cmd_info, CMD_CLEAN_STALE, "show a sandbox's state and resource use"},
    {"stop", hutch_cmd_stop, CMD_CLEAN_STALE, "stop a sandbox (SIGTERM, then SIGKILL)"},
    {"freeze", hutch_cmd_freeze, CMD_CLEAN_STALE, "freeze every process of a sandbox"},
    {"thaw", hutch_cmd_thaw, CMD_CLEAN_STALE, "let a frozen sandbox run again"},
    {"enter", hutch_cmd_enter, CMD_CLEAN_STALE | CMD_RUNS_PROGRAM,
     "run a command inside a running sandbox"},
    {"check", hutch_cmd_check, CMD_CLEAN_STALE, "say what this system and user support"},
    {"create", hutch_cmd_create, CMD_RUNS_PROGRAM,
     "make an image rootfs (debootstrap, or a tarball)"},
    {"images", hutch_cmd_images, 0, "list the images"},
    {"destroy", hutch_cmd_destroy, 0, "remove an image"},
    {"panel", hutch_cmd_panel, 0, "serve a web panel of the sandboxes, for this user"},
    {NULL, NULL, 0, NULL},
};

static void
usage(FILE *out)
{
  fprintf(out, "Usage: hutch COMMAND [OPTIONS...]\n\nCommands:\n");
  for (const HutchCommand *c = commands; c->name; c++)
    fprintf(out, "  %-10s %s\n", c->name, c->summary);
  fprintf(out, "\nRun 'hutch COMMAND --help' for a command's options; see hutch(1).\n");
}

/* The one place an error becomes a message and an exit status. */
static int
run_command(const HutchCommand *c, int argc, char **argv)
{
  if (c->flags & CMD_CLEAN_STALE)
    hutch_state_clean_stale();
  g_autoptr(GError) error = NULL;
  int status = c->run(argc, argv, &error);
  if (status >= 0)
    return status;
  if (!error) {
    g_warning("hutch %s failed without saying why", c->name);
    return c->flags & CMD_RUNS_PROGRAM ? HUTCH_EXIT_FAILURE : HUTCH_EXIT_FAILED;
  }
  hutch_print_error(error);
  return hutch_exit_status(error,
                           c->flags & CMD_RUNS_PROGRAM ? HUTCH_EXIT_FAILURE : HUTCH_EXIT_FAILED);
}

int
main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  hutch_state_set_cleanup_handlers(hutch_cleanup_handlers);
  if (argc < 2) {
    usage(stderr);
    return HUTCH_EXIT_USAGE;
  }
  if (g_str_equal(argv[1], "--help") || g_str_equal(argv[1], "-h") ||
      g_str_equal(argv[1], "help")) {
    usage(stdout);
    return 0;
  }
  if (g_str_equal(argv[1], "--version")) {
    printf("hutch %s\n", HUTCH_VERSION);
    return 0;
  }
  for (const HutchCommand *c = commands; c->name; c++)
    if (g_str_equal(argv[1], c->name))
      return run_command(c, argc - 1, argv + 1);
  fprintf(stderr, "hutch: unknown command '%s' (run 'hutch --help' for the list)\n", argv[1]);
  return HUTCH_EXIT_USAGE;
}
