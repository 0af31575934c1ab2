/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "print.h"
#include "escape.h"
#include <stdarg.h>
#include <string.h>

char *
hutch_escape(const char *s)
{
  if (!s)
    return NULL;
  gsize size = strlen(s) * HUTCH_ESCAPE_MAX_GROWTH + 1;
  char *out = g_malloc(size);
  hutch_escape_buf(out, size, s);
  return out;
}

void
hutch_print_line(FILE *out, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *line = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_autofree char *escaped = hutch_escape(line);
  fputs(escaped, out);
  fputc('\n', out);
}
