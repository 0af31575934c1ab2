/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "escape.h"
#include <string.h>

int
hutch_char_is_hidden(unsigned int ch)
{
  return ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch <= 0x9f) || ch == 0x061c || ch == 0x200e ||
         ch == 0x200f || (ch >= 0x2028 && ch <= 0x202e) || (ch >= 0x2066 && ch <= 0x2069) ||
         ch == 0xfeff;
}

/* The character at S as a code point, with its length in *LEN; 0 when S
 * does not start with a valid UTF-8 sequence (overlong forms, surrogates
 * and values past U+10FFFF are not valid). */
static int
decode_utf8(const unsigned char *s, unsigned int *ch, size_t *len)
{
  unsigned char c = s[0];
  size_t n;
  unsigned int min, v;
  if (c < 0x80) {
    *ch = c;
    *len = 1;
    return 1;
  } else if ((c & 0xe0) == 0xc0) {
    n = 2, min = 0x80, v = c & 0x1f;
  } else if ((c & 0xf0) == 0xe0) {
    n = 3, min = 0x800, v = c & 0x0f;
  } else if ((c & 0xf8) == 0xf0) {
    n = 4, min = 0x10000, v = c & 0x07;
  } else {
    return 0;
  }
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xc0) != 0x80) /* also stops at the NUL */
      return 0;
    v = (v << 6) | (s[i] & 0x3f);
  }
  if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
    return 0;
  *ch = v;
  *len = n;
  return 1;
}

/* Append PIECE (LEN bytes) when it fits whole; count it either way. */
static void
put(char *out, size_t out_size, size_t *pos, int *full, const char *piece, size_t len)
{
  if (!*full && *pos + len < out_size)
    memcpy(out + *pos, piece, len);
  else
    *full = 1;
  *pos += len;
}

static void
put_hex(char *out, size_t out_size, size_t *pos, int *full, const char *prefix, unsigned int v,
        int digits)
{
  static const char hex[] = "0123456789abcdef";
  char buf[8];
  size_t n = strlen(prefix);
  memcpy(buf, prefix, n);
  for (int d = digits - 1; d >= 0; d--)
    buf[n++] = hex[(v >> (4 * d)) & 0xf];
  put(out, out_size, pos, full, buf, n);
}

size_t
hutch_escape_buf(char *out, size_t out_size, const char *s)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t pos = 0, written = 0;
  int full = 0;
  while (*p) {
    unsigned int ch;
    size_t len;
    if (!decode_utf8(p, &ch, &len)) {
      put_hex(out, out_size, &pos, &full, "\\x", *p, 2);
      len = 1;
    } else if (ch == '\n') {
      put(out, out_size, &pos, &full, "\\n", 2);
    } else if (ch == '\r') {
      put(out, out_size, &pos, &full, "\\r", 2);
    } else if (ch == '\t') {
      put(out, out_size, &pos, &full, "\\t", 2);
    } else if (ch < 0x20 || ch == 0x7f) {
      put_hex(out, out_size, &pos, &full, "\\x", ch, 2);
    } else if (hutch_char_is_hidden(ch)) {
      put_hex(out, out_size, &pos, &full, "\\u", ch, 4);
    } else {
      put(out, out_size, &pos, &full, (const char *)p, len);
    }
    if (!full)
      written = pos;
    p += len;
  }
  if (out_size)
    out[written] = '\0';
  return pos;
}
