#include "config.h"
#include "cleanup-handlers.h"
#include "commands.h"
#include "error.h"
#include <glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} HutchCommand;

static const HutchCommand commands[] = {
    {"run", hutch_cmd_run, "run a command in a new sandbox"},
    {"profile", hutch_cmd_profile, "list, show and check profiles"},
    {"ls", hutch_cmd_ls, "list running sandboxes"},
    {"info", hutch_cmd_info, "show a sandbox's state and resource use"},
    {"stop", hutch_cmd_stop, "stop a sandbox (SIGTERM, then SIGKILL)"},
    {"freeze", hutch_cmd_freeze, "freeze every process of a sandbox"},
    {"thaw", hutch_cmd_thaw, "let a frozen sandbox run again"},
    {"enter", hutch_cmd_enter, "run a command inside a running sandbox"},
    {"check", hutch_cmd_check, "say what this system and user support"},
    {"create", hutch_cmd_create, "make an image rootfs (debootstrap, or a tarball)"},
    {"images", hutch_cmd_images, "list the images"},
    {"destroy", hutch_cmd_destroy, "remove an image"},
    {NULL, NULL, NULL},
};

static void
usage(FILE *out)
{
  fprintf(out, "Usage: hutch COMMAND [OPTIONS...]\n\nCommands:\n");
  for (const HutchCommand *c = commands; c->name; c++)
    fprintf(out, "  %-10s %s\n", c->name, c->summary);
  fprintf(out, "\nRun 'hutch COMMAND --help' for a command's options; see hutch(1).\n");
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
      return c->run(argc - 1, argv + 1);
  fprintf(stderr, "hutch: unknown command '%s' (run 'hutch --help' for the list)\n", argv[1]);
  return HUTCH_EXIT_USAGE;
}
