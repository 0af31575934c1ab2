/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A small JSON writer for `--json` output and --json-status-fd: objects,
 * arrays and scalars appended to a GString, commas handled. */
#pragma once
#include <glib.h>

typedef struct {
  GString *out;
  guint64 need_comma; /* one bit per nesting level */
  int depth;
} HutchJson;

void hutch_json_init(HutchJson *j, GString *out);
/* KEY is NULL for array elements and the top level. */
void hutch_json_begin_object(HutchJson *j, const char *key);
void hutch_json_end_object(HutchJson *j);
void hutch_json_begin_array(HutchJson *j, const char *key);
void hutch_json_end_array(HutchJson *j);
void hutch_json_string(HutchJson *j, const char *key, const char *value); /* NULL: null */
void hutch_json_int(HutchJson *j, const char *key, gint64 value);
void hutch_json_double(HutchJson *j, const char *key, double value);
void hutch_json_bool(HutchJson *j, const char *key, gboolean value);
void hutch_json_null(HutchJson *j, const char *key);
void hutch_json_strv(HutchJson *j, const char *key, char **values);
