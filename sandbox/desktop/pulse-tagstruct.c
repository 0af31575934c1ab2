/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "pulse-tagstruct.h"
#include <string.h>

enum {
  TAG_STRING = 't',
  TAG_STRING_NULL = 'N',
  TAG_U32 = 'L',
  TAG_ARBITRARY = 'x',
  TAG_PROPLIST = 'P',
};

void
hutch_tag_writer_init(HutchTagWriter *w)
{
  w->data = g_byte_array_sized_new(128);
}

static void
put_tag(HutchTagWriter *w, guint8 tag)
{
  g_byte_array_append(w->data, &tag, 1);
}

static void
put_be32(HutchTagWriter *w, guint32 value)
{
  guint32 be = GUINT32_TO_BE(value);
  g_byte_array_append(w->data, (const guint8 *)&be, 4);
}

void
hutch_tag_put_u32(HutchTagWriter *w, guint32 value)
{
  put_tag(w, TAG_U32);
  put_be32(w, value);
}

void
hutch_tag_put_string(HutchTagWriter *w, const char *s)
{
  if (!s) {
    put_tag(w, TAG_STRING_NULL);
    return;
  }
  put_tag(w, TAG_STRING);
  g_byte_array_append(w->data, (const guint8 *)s, (guint)strlen(s) + 1);
}

void
hutch_tag_put_arbitrary(HutchTagWriter *w, const void *data, guint32 len)
{
  put_tag(w, TAG_ARBITRARY);
  put_be32(w, len);
  g_byte_array_append(w->data, data, len);
}

/* Each entry is its key, the value's length and the value itself; values
 * are strings, stored with their terminating NUL as libpulse does. */
void
hutch_tag_put_proplist(HutchTagWriter *w, const char *const *pairs)
{
  put_tag(w, TAG_PROPLIST);
  for (const char *const *p = pairs; p[0] && p[1]; p += 2) {
    guint32 len = (guint32)strlen(p[1]) + 1;
    hutch_tag_put_string(w, p[0]);
    hutch_tag_put_u32(w, len);
    hutch_tag_put_arbitrary(w, p[1], len);
  }
  hutch_tag_put_string(w, NULL);
}

static gboolean
read_be32(const guint8 *p, const guint8 *end, guint32 *value)
{
  if (end - p < 4)
    return FALSE;
  guint32 be;
  memcpy(&be, p, 4);
  *value = GUINT32_FROM_BE(be);
  return TRUE;
}

gboolean
hutch_tag_get_u32(HutchTagReader *r, guint32 *value)
{
  if (r->p >= r->end || r->p[0] != TAG_U32 || !read_be32(r->p + 1, r->end, value))
    return FALSE;
  r->p += 5;
  return TRUE;
}

gboolean
hutch_tag_get_string(HutchTagReader *r, const char **s)
{
  if (r->p >= r->end)
    return FALSE;
  if (r->p[0] == TAG_STRING_NULL) {
    *s = NULL;
    r->p++;
    return TRUE;
  }
  if (r->p[0] != TAG_STRING)
    return FALSE;
  const guint8 *nul = memchr(r->p + 1, '\0', (size_t)(r->end - r->p - 1));
  if (!nul)
    return FALSE;
  *s = (const char *)r->p + 1;
  r->p = nul + 1;
  return TRUE;
}

static gboolean
skip_arbitrary(HutchTagReader *r)
{
  guint32 len;
  if (r->p >= r->end || r->p[0] != TAG_ARBITRARY || !read_be32(r->p + 1, r->end, &len) ||
      (guint64)(r->end - r->p - 5) < len)
    return FALSE;
  r->p += 5 + len;
  return TRUE;
}

gboolean
hutch_tag_skip_proplist(HutchTagReader *r)
{
  HutchTagReader saved = *r;
  if (r->p >= r->end || r->p[0] != TAG_PROPLIST)
    return FALSE;
  r->p++;
  for (;;) {
    const char *key;
    guint32 len;
    if (!hutch_tag_get_string(r, &key))
      break;
    if (!key)
      return TRUE;
    if (!hutch_tag_get_u32(r, &len) || !skip_arbitrary(r))
      break;
  }
  *r = saved;
  return FALSE;
}
