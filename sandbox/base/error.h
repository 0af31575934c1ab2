/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch — one GError domain for every layer; context is prefixed as it
 * travels up, and one place (hutch_exit_status) turns an error into an
 * exit status. hutch(1)'s EXIT STATUS section is this table in words. */
#pragma once
#include <glib.h>

#define HUTCH_ERROR (hutch_error_quark())
GQuark hutch_error_quark(void);

typedef enum {
  HUTCH_ERROR_FAILED,
  HUTCH_ERROR_USAGE,     /* bad command line: exit 2 */
  HUTCH_ERROR_PROFILE,   /* bad profile: "FILE:LINE: ..." lines, each escaped (print.h) */
  HUTCH_ERROR_HOST,      /* this host lacks something the policy needs */
  HUTCH_ERROR_NOT_FOUND, /* a named sandbox, profile or image does not exist */
  /* HUTCH_ERROR_INTERRUPTED + N: signal N ended a launch before its
   * command ran (interrupt.h); the exit status is 128+N. */
  HUTCH_ERROR_INTERRUPTED = 256,
} HutchErrorCode;

/* Exit statuses of hutch itself. A command that fails exits with its
 * failure status: HUTCH_EXIT_FAILED for the commands that manage
 * sandboxes, profiles and images, HUTCH_EXIT_FAILURE for those whose own
 * status is a program's (run and enter: the app's; create: debootstrap's
 * work), chosen above the range apps commonly use so a launcher can tell
 * "hutch failed" from "the app failed". A bad command line is
 * HUTCH_EXIT_USAGE for every command. */
#define HUTCH_EXIT_FAILED 1
#define HUTCH_EXIT_USAGE 2
#define HUTCH_EXIT_FAILURE 125

/* Set a HUTCH_ERROR_USAGE error from FMT and return FALSE: what a parser
 * of a command line or a profile value says of bad input. */
gboolean hutch_usage_error(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* The exit status for ERROR from a command whose failure status is FAILURE. */
int hutch_exit_status(const GError *error, int failure);
/* "hutch: MESSAGE" on stderr, as one line with control characters
 * escaped (print.h). */
void hutch_print_error(const GError *error);
