/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One entry point per subcommand; each takes argv starting at its name and
 * returns its exit status, or -1 with ERROR set: main() prints the error
 * and turns it into the exit status with the command's failure status
 * (see the table in main.c and hutch_exit_status). */
#pragma once
#include <glib.h>

typedef int (*HutchCommandFn)(int argc, char **argv, GError **error);

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
int hutch_cmd_panel(int argc, char **argv, GError **error);
