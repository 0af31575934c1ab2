/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "json.h"

void
hutch_json_init(HutchJson *j, GString *out)
{
  j->out = out;
  j->need_comma = 0;
  j->depth = 0;
}

static void
append_escaped(GString *out, const char *s)
{
  g_string_append_c(out, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '"':
      g_string_append(out, "\\\"");
      break;
    case '\\':
      g_string_append(out, "\\\\");
      break;
    case '\n':
      g_string_append(out, "\\n");
      break;
    case '\t':
      g_string_append(out, "\\t");
      break;
    case '\r':
      g_string_append(out, "\\r");
      break;
    default:
      if (*p < 0x20)
        g_string_append_printf(out, "\\u%04x", *p);
      else
        g_string_append_c(out, (char)*p);
    }
  }
  g_string_append_c(out, '"');
}

/* Comma and key before a value at the current level. */
static void
start_value(HutchJson *j, const char *key)
{
  guint64 bit = 1ull << j->depth;
  if (j->need_comma & bit)
    g_string_append_c(j->out, ',');
  j->need_comma |= bit;
  if (key) {
    append_escaped(j->out, key);
    g_string_append_c(j->out, ':');
  }
}

static void
open_level(HutchJson *j, const char *key, char c)
{
  start_value(j, key);
  g_string_append_c(j->out, c);
  j->depth++;
  j->need_comma &= ~(1ull << j->depth);
}

static void
close_level(HutchJson *j, char c)
{
  j->depth--;
  g_string_append_c(j->out, c);
}

void
hutch_json_begin_object(HutchJson *j, const char *key)
{
  open_level(j, key, '{');
}

void
hutch_json_end_object(HutchJson *j)
{
  close_level(j, '}');
}

void
hutch_json_begin_array(HutchJson *j, const char *key)
{
  open_level(j, key, '[');
}

void
hutch_json_end_array(HutchJson *j)
{
  close_level(j, ']');
}

void
hutch_json_string(HutchJson *j, const char *key, const char *value)
{
  start_value(j, key);
  if (value)
    append_escaped(j->out, value);
  else
    g_string_append(j->out, "null");
}

void
hutch_json_int(HutchJson *j, const char *key, gint64 value)
{
  start_value(j, key);
  g_string_append_printf(j->out, "%" G_GINT64_FORMAT, value);
}

void
hutch_json_double(HutchJson *j, const char *key, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  start_value(j, key);
  g_string_append(j->out, g_ascii_formatd(buf, sizeof(buf), "%.3f", value));
}

void
hutch_json_bool(HutchJson *j, const char *key, gboolean value)
{
  start_value(j, key);
  g_string_append(j->out, value ? "true" : "false");
}

void
hutch_json_null(HutchJson *j, const char *key)
{
  start_value(j, key);
  g_string_append(j->out, "null");
}

void
hutch_json_strv(HutchJson *j, const char *key, char **values)
{
  hutch_json_begin_array(j, key);
  for (char **v = values; v && *v; v++)
    hutch_json_string(j, NULL, *v);
  hutch_json_end_array(j);
}
