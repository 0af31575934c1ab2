/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"
#include "cleanup-handlers.h"
#include "commands.h"
#include "error.h"
#include "launch-log.h"
#include "print.h"
#include "state.h"
#include <glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef enum {
  /* Clean the state of dead sandboxes first (state.h), so that the command
   * sees only live ones and a dead one's host resources are undone. */
  CMD_CLEAN_STALE = 1u << 0,
  /* The command's own status is a program's: it fails with
   * HUTCH_EXIT_FAILURE (125) rather than HUTCH_EXIT_FAILED (1). */
  CMD_RUNS_PROGRAM = 1u << 1,
  /* A failure is kept in the launch log, and shown as a desktop
   * notification when there is no terminal (a menu launch). */
  CMD_LOGS_FAILURE = 1u << 2,
} CommandFlags;

typedef HutchCommandInfo HutchCommand;

static const HutchCommand commands[] = {
    {"run", hutch_cmd_run, CMD_CLEAN_STALE | CMD_RUNS_PROGRAM | CMD_LOGS_FAILURE,
     "run a command in a new sandbox"},
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
    {"steam", hutch_cmd_steam, 0, "make hutch a Steam compatibility tool"},
    {"desktop", hutch_cmd_desktop, 0, "run apps through hutch from the app menu"},
    {"log", hutch_cmd_log, 0, "show failed launches and detached sandboxes' output"},
    {"homes", hutch_cmd_homes, CMD_CLEAN_STALE, "list, reset or remove apps' private homes"},
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

/* hutch help CMD: CMD's own --help. */
static int
help_for(const char *name)
{
  for (const HutchCommand *c = commands; c->name; c++)
    if (g_str_equal(name, c->name)) {
      g_autofree char *prgname = g_strconcat("hutch ", c->name, NULL);
      g_set_prgname(prgname); /* GOption's usage line: "hutch stop [OPTION...]" */
      char *argv[] = {(char *)c->name, "--help", NULL};
      g_autoptr(GError) error = NULL;
      int status = c->run(2, argv, &error);
      return status < 0 ? HUTCH_EXIT_USAGE : status;
    }
  fprintf(stderr, "hutch: help: unknown command '%s' (run 'hutch --help' for the list)\n", name);
  return HUTCH_EXIT_USAGE;
}

/* The one place an error becomes a message and an exit status. */
static int
run_command(const HutchCommand *c, int argc, char **argv)
{
  g_autofree char *prgname = g_strconcat("hutch ", c->name, NULL);
  g_set_prgname(prgname); /* GOption's usage line: "hutch stop [OPTION...]" */
  if (c->flags & CMD_CLEAN_STALE)
    hutch_state_clean_stale();
  g_autoptr(GError) error = NULL;
  /* The command's option parser takes its options out of argv. */
  g_auto(GStrv) as_given = g_strdupv(argv);
  int status = c->run(argc, argv, &error);
  if (status >= 0)
    return status;
  if (!error) {
    g_warning("hutch %s failed without saying why", c->name);
    return c->flags & CMD_RUNS_PROGRAM ? HUTCH_EXIT_FAILURE : HUTCH_EXIT_FAILED;
  }
  hutch_print_error(error);
  if (c->flags & CMD_LOGS_FAILURE) {
    hutch_launch_log_failure(as_given, error->message);
    if (!isatty(STDERR_FILENO))
      hutch_notify_failure(as_given, error->message);
  }
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
  if (g_str_equal(argv[1], "help") && argc > 2)
    return help_for(argv[2]);
  if (g_str_equal(argv[1], "--help") || g_str_equal(argv[1], "-h") ||
      g_str_equal(argv[1], "help")) {
    usage(stdout);
    return 0;
  }
  if (g_str_equal(argv[1], "--version")) {
    printf("hutch %s\n", HUTCH_VERSION);
    return 0;
  }
  if (g_str_equal(argv[1], "__complete"))
    return hutch_complete(commands, argc - 1, argv + 1);
  for (const HutchCommand *c = commands; c->name; c++)
    if (g_str_equal(argv[1], c->name))
      return run_command(c, argc - 1, argv + 1);
  hutch_print_line(stderr, "hutch: unknown command '%s' (run 'hutch --help' for the list)",
                   argv[1]);
  return HUTCH_EXIT_USAGE;
}
