/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The sound server's native protocol carries commands as "tagstructs": a
 * sequence of values, each led by a one-byte type tag, integers big-endian.
 * This writes and reads the few types hutch's commands use. */
#pragma once
#include <glib.h>

typedef struct {
  GByteArray *data;
} HutchTagWriter;

void hutch_tag_writer_init(HutchTagWriter *w);
void hutch_tag_put_u32(HutchTagWriter *w, guint32 value);
/* NULL is written as the protocol's null string. */
void hutch_tag_put_string(HutchTagWriter *w, const char *s);
void hutch_tag_put_arbitrary(HutchTagWriter *w, const void *data, guint32 len);
/* A property list of KEY, VALUE string pairs, NULL-terminated. */
void hutch_tag_put_proplist(HutchTagWriter *w, const char *const *pairs);

typedef struct {
  const guint8 *p;
  const guint8 *end;
} HutchTagReader;

/* Each getter returns FALSE, consuming nothing, when the next value is not
 * of its type or runs past the end. */
gboolean hutch_tag_get_u32(HutchTagReader *r, guint32 *value);
/* *s points into the packet (NULL for the null string). */
gboolean hutch_tag_get_string(HutchTagReader *r, const char **s);
gboolean hutch_tag_skip_proplist(HutchTagReader *r);
