#include "error.h"
#include <stdio.h>

G_DEFINE_QUARK(hutch - error - quark, hutch_error)

void
hutch_print_error(const GError *error)
{
  fprintf(stderr, "hutch: %s\n", error->message);
}
