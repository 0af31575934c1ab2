/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "error.h"
#include <stdarg.h>
#include "print.h"
#include <stdio.h>

/* Written out rather than G_DEFINE_QUARK, whose stringified argument
 * clang-format would space out into "hutch - error - quark". */
GQuark
hutch_error_quark(void)
{
  return g_quark_from_static_string("hutch-error-quark");
}

int
hutch_exit_status(const GError *error, int failure)
{
  if (error->domain == HUTCH_ERROR && error->code == HUTCH_ERROR_USAGE)
    return HUTCH_EXIT_USAGE;
  if (error->domain == HUTCH_ERROR && error->code > HUTCH_ERROR_INTERRUPTED &&
      error->code < HUTCH_ERROR_INTERRUPTED + 65)
    return 128 + (error->code - HUTCH_ERROR_INTERRUPTED);
  return failure;
}

/* One line, whatever the message holds: the arguments it echoes (paths,
 * names, values) may carry newlines and escape sequences. A profile error
 * is the one kind that holds several messages, a line each, each escaped
 * where it was made (profile.c). */
void
hutch_print_error(const GError *error)
{
  if (error->domain != HUTCH_ERROR || error->code != HUTCH_ERROR_PROFILE) {
    hutch_print_line(stderr, "hutch: %s", error->message);
    return;
  }
  g_auto(GStrv) lines = g_strsplit(error->message, "\n", -1);
  for (char **l = lines; *l; l++)
    hutch_print_line(stderr, l == lines ? "hutch: %s" : "%s", *l);
}

gboolean
hutch_usage_error(GError **error, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error_literal(error, HUTCH_ERROR, HUTCH_ERROR_USAGE, msg);
  return FALSE;
}
