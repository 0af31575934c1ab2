/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Printing for the commands: every line hutch prints goes through
 * escape.h, so no path, name, variable or command can break a line or
 * reach the terminal as a control sequence. */
#pragma once
#include <glib.h>
#include <stdio.h>

/* S with its control and hidden characters escaped (escape.h). */
char *hutch_escape(const char *s);

/* Format one line, escape all of it and write it to OUT with a newline:
 * a newline inside FMT's arguments shows as \n and cannot start a line. */
void hutch_print_line(FILE *out, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
