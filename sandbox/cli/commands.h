/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One entry point per subcommand; each takes argv starting at its name and
 * returns its exit status, or -1 with ERROR set: main() prints the error
 * and turns it into the exit status with the command's failure status
 * (see the table in main.c and hutch_exit_status). */
#pragma once
#include <glib.h>

typedef int (*HutchCommandFn)(int argc, char **argv, GError **error);

/* A row of the command table (main.c). */
typedef struct {
  const char *name;
  HutchCommandFn run;
  guint flags;
  const char *summary;
} HutchCommandInfo;

/* cmd-complete.c: hutch __complete WORD... (for the shell scripts). */
int hutch_complete(const HutchCommandInfo *commands, int argc, char **argv);
/* Print the long options of COMMAND starting with PREFIX, one per line,
 * from its option table, and exit. */
G_GNUC_NORETURN void hutch_cmd_list_options(const HutchCommandInfo *command, const char *prefix);

int hutch_cmd_run(int argc, char **argv, GError **error);
int hutch_cmd_profile(int argc, char **argv, GError **error);
int hutch_cmd_ls(int argc, char **argv, GError **error);
int hutch_cmd_info(int argc, char **argv, GError **error);
int hutch_cmd_stop(int argc, char **argv, GError **error);
int hutch_cmd_freeze(int argc, char **argv, GError **error);
int hutch_cmd_thaw(int argc, char **argv, GError **error);
int hutch_cmd_enter(int argc, char **argv, GError **error);
int hutch_cmd_check(int argc, char **argv, GError **error);
int hutch_cmd_create(int argc, char **argv, GError **error);
int hutch_cmd_images(int argc, char **argv, GError **error);
int hutch_cmd_destroy(int argc, char **argv, GError **error);
int hutch_cmd_steam(int argc, char **argv, GError **error);
int hutch_cmd_desktop(int argc, char **argv, GError **error);
int hutch_cmd_log(int argc, char **argv, GError **error);
int hutch_cmd_homes(int argc, char **argv, GError **error);
int hutch_cmd_panel(int argc, char **argv, GError **error);
