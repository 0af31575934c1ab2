/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "profile-lines.h"
#include "escape.h"
#include "print.h"
#include <string.h>

static void
line_free(gpointer p)
{
  HutchProfileLine *l = p;
  g_free(l->section);
  g_free(l->key);
  g_free(l);
}

void
hutch_profile_lines_free(HutchProfileLines *lines)
{
  if (!lines)
    return;
  g_ptr_array_unref(lines->entries);
  g_hash_table_unref(lines->sections);
  g_free(lines);
}

guint
hutch_profile_lines_section(const HutchProfileLines *lines, const char *section)
{
  return GPOINTER_TO_UINT(g_hash_table_lookup(lines->sections, section));
}

/* A byte a terminal acts on instead of showing: everything below 0x20 but tab
 * (newlines never reach here) and DEL. */
static const char *
control_byte_problem(const char *line, gsize len, char *buf, gsize buf_len)
{
  for (gsize i = 0; i < len; i++) {
    unsigned char c = line[i];
    if (c == 0)
      return "NUL byte (profiles are text)";
    if (c == 0x1b)
      return "terminal escape sequence (ESC, 0x1b) (profiles must show what they enforce)";
    if (c == '\r')
      return "carriage return (0x0d) (save the file with Unix line endings)";
    if ((c < 0x20 && c != '\t') || c == 0x7f) {
      g_snprintf(buf, buf_len, "control character 0x%02x (profiles must show what they enforce)",
                 c);
      return buf;
    }
  }
  return NULL;
}

static const char *
text_problem(const char *line, gsize len, char *buf, gsize buf_len)
{
  const char *problem = control_byte_problem(line, len, buf, buf_len);
  if (problem)
    return problem;
  if (!g_utf8_validate_len(line, len, NULL))
    return "not valid UTF-8";
  for (const char *p = line; p < line + len; p = g_utf8_next_char(p)) {
    gunichar ch = g_utf8_get_char(p);
    /* Valid UTF-8 that changes what a reader sees (escape.h): C1 controls
     * and bidirectional overrides that can reorder a line on screen. */
    if (ch >= 0x80 && hutch_char_is_hidden(ch)) {
      g_snprintf(buf, buf_len,
                 "invisible or reordering character U+%04X (profiles must show what they "
                 "enforce)",
                 ch);
      return buf;
    }
  }
  return NULL;
}

typedef struct {
  const char *path;
  GPtrArray *errors;
  HutchProfileLines *lines;
  char *section;    /* current section, NULL before the first */
  GHashTable *seen; /* "section\nkey" -> first line */
} Scan;

static void scan_error(Scan *s, guint line, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void
scan_error(Scan *s, guint line, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_autofree char *text = g_strdup_printf("%s:%u: %s", s->path, line, msg);
  g_ptr_array_add(s->errors, hutch_escape(text));
}

static gboolean
valid_name_char(char c)
{
  return g_ascii_isalnum(c) || c == '-' || c == '_' || c == '.';
}

static void
scan_section(Scan *s, const char *text, guint line)
{
  const char *close = strchr(text, ']');
  if (!close) {
    scan_error(s, line, "section header without ']'");
    return;
  }
  for (const char *p = close + 1; *p; p++) {
    if (*p != ' ' && *p != '\t') {
      scan_error(s, line, "text after the section header '%.*s'", (int)(close + 1 - text), text);
      return;
    }
  }
  g_autofree char *name = g_strndup(text + 1, close - text - 1);
  if (!*name || strchr(name, '[')) {
    scan_error(s, line, "'%s' is not a section header (write [Name])", text);
    return;
  }
  guint first = hutch_profile_lines_section(s->lines, name);
  if (first) {
    /* GKeyFile would merge the two silently; a reader would see only one. */
    scan_error(s, line, "section [%s] appears twice (first at line %u); merge them", name, first);
  } else {
    g_hash_table_insert(s->lines->sections, g_strdup(name), GUINT_TO_POINTER(line));
  }
  g_free(s->section);
  s->section = g_steal_pointer(&name);
}

static void
scan_key(Scan *s, const char *text, guint line)
{
  const char *eq = strchr(text, '=');
  if (!eq) {
    scan_error(s, line, "'%s' is not a [Section], a key=value line or a # comment", text);
    return;
  }
  g_autofree char *key = g_strchomp(g_strndup(text, eq - text));
  if (!*key) {
    scan_error(s, line, "a value without a key ('%s')", text);
    return;
  }
  for (const char *p = key; *p; p++) {
    if (!valid_name_char(*p)) {
      scan_error(s, line, "'%s' is not a key name (use letters, digits, '-' and '_')", key);
      return;
    }
  }
  if (!s->section) {
    scan_error(s, line, "key '%s' comes before any [Section]", key);
    return;
  }
  g_autofree char *id = g_strconcat(s->section, "\n", key, NULL);
  guint first = GPOINTER_TO_UINT(g_hash_table_lookup(s->seen, id));
  if (first) {
    /* GKeyFile would keep only the last one; the first would look granted. */
    scan_error(s, line,
               "duplicate key '%s' in [%s] (first at line %u); give all values in one "
               "list: %s=a;b",
               key, s->section, first, key);
    return;
  }
  g_hash_table_insert(s->seen, g_steal_pointer(&id), GUINT_TO_POINTER(line));
  HutchProfileLine *l = g_new0(HutchProfileLine, 1);
  l->section = g_strdup(s->section);
  l->key = g_steal_pointer(&key);
  l->line = line;
  g_ptr_array_add(s->lines->entries, l);
}

static void
scan_line(Scan *s, const char *raw, gsize len, guint line)
{
  char buf[128];
  const char *problem = text_problem(raw, len, buf, sizeof buf);
  if (problem) {
    scan_error(s, line, "%s", problem);
    return;
  }
  g_autofree char *copy = g_strndup(raw, len);
  const char *text = copy;
  /* GKeyFile's own rule: leading white space is ignored on every line. */
  while (g_ascii_isspace(*text))
    text++;
  if (!*text || *text == '#')
    return;
  if (*text == '[')
    scan_section(s, text, line);
  else
    scan_key(s, text, line);
}

HutchProfileLines *
hutch_profile_lines_scan(const char *path, const char *data, gsize len, GPtrArray *errors)
{
  HutchProfileLines *lines = g_new0(HutchProfileLines, 1);
  lines->entries = g_ptr_array_new_with_free_func(line_free);
  lines->sections = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  Scan s = {.path = path, .errors = errors, .lines = lines};
  s.seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  guint before = errors->len;
  if (len > HUTCH_PROFILE_MAX_SIZE) {
    g_ptr_array_add(errors, g_strdup_printf("%s:1: larger than %u KiB; profiles are small text "
                                            "files",
                                            path, HUTCH_PROFILE_MAX_SIZE / 1024));
  } else {
    guint line = 1;
    for (gsize start = 0; start < len; line++) {
      const char *nl = memchr(data + start, '\n', len - start);
      gsize end = nl ? (gsize)(nl - data) : len;
      scan_line(&s, data + start, end - start, line);
      start = end + 1;
    }
  }
  g_free(s.section);
  g_hash_table_unref(s.seen);
  if (errors->len > before) {
    hutch_profile_lines_free(lines);
    return NULL;
  }
  return lines;
}
