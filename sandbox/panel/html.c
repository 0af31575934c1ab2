/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "html.h"
#include <stdarg.h>

static void
escape_char(GString *out, gunichar c)
{
  switch (c) {
  case '&':
    g_string_append(out, "&amp;");
    break;
  case '<':
    g_string_append(out, "&lt;");
    break;
  case '>':
    g_string_append(out, "&gt;");
    break;
  case '"':
    g_string_append(out, "&quot;");
    break;
  case '\'':
    g_string_append(out, "&#39;");
    break;
  default:
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
      g_string_append_printf(out, "\\x%02x", c);
    else
      g_string_append_unichar(out, c);
  }
}

void
hutch_html_escape(GString *out, const char *text)
{
  if (!text)
    return;
  g_autofree char *valid = g_utf8_make_valid(text, -1);
  for (const char *p = valid; *p; p = g_utf8_next_char(p))
    escape_char(out, g_utf8_get_char(p));
}

void
hutch_html_v(GString *out, const char *fmt, va_list ap)
{
  for (const char *p = fmt; *p; p++) {
    if (*p != '%' || !p[1]) {
      g_string_append_c(out, *p);
      continue;
    }
    switch (*++p) {
    case 's':
      hutch_html_escape(out, va_arg(ap, const char *));
      break;
    case 'u': {
      g_autofree char *seg = g_uri_escape_string(va_arg(ap, const char *), NULL, FALSE);
      hutch_html_escape(out, seg);
      break;
    }
    case 'H':
      g_string_append(out, va_arg(ap, const char *));
      break;
    case 'd':
      g_string_append_printf(out, "%d", va_arg(ap, int));
      break;
    default:
      g_string_append_c(out, *p);
    }
  }
}

void
hutch_html(GString *out, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  hutch_html_v(out, fmt, ap);
  va_end(ap);
}
