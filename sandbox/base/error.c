/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "error.h"
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

void
hutch_print_error(const GError *error)
{
  fprintf(stderr, "hutch: %s\n", error->message);
}
