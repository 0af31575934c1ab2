/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Launches with no terminal to print to (from the app menu, a launcher):
 * every failed `hutch run` is kept in $XDG_STATE_HOME/hutch/launch.log,
 * which `hutch log` shows, and, with no terminal on stderr, also shown as
 * a desktop notification through the user's session bus when one runs. */
#pragma once
#include <glib.h>

char *hutch_launch_log_path(void);
/* One line: the time, the command line (ARGV from "run" on) and MESSAGE,
 * control characters escaped. Never fails the caller. */
void hutch_launch_log_failure(char **argv, const char *message);
/* A notification saying the launch of ARGV failed with MESSAGE, through
 * org.freedesktop.Notifications (gdbus), bounded to 2 s. FALSE when there
 * is no session bus or no notification service. */
gboolean hutch_notify_failure(char **argv, const char *message);
