/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One mount a line, its five fields separated by tabs, each escaped with
 * g_strescape so that a path may hold tabs and newlines. */
#include "run-mounts.h"
#include "atomic-file.h"

#define N_FIELDS 5

void
hutch_mount_record_free(HutchMountRecord *r)
{
  if (!r)
    return;
  g_free(r->type);
  g_free(r->source);
  g_free(r->target);
  g_free(r->options);
  g_free(r->why);
  g_free(r);
}

static void
append_field(GString *out, const char *value, gboolean last)
{
  g_autofree char *escaped = g_strescape(value ? value : "", NULL);
  g_string_append(out, escaped);
  g_string_append_c(out, last ? '\n' : '\t');
}

gboolean
hutch_state_save_mounts(const char *dir, GPtrArray *mounts, GError **error)
{
  g_autoptr(GString) out = g_string_new(NULL);
  for (guint i = 0; i < mounts->len; i++) {
    const HutchMountRecord *r = mounts->pdata[i];
    append_field(out, r->type, FALSE);
    append_field(out, r->source, FALSE);
    append_field(out, r->target, FALSE);
    append_field(out, r->options, FALSE);
    append_field(out, r->why, TRUE);
  }
  g_autofree char *path = g_build_filename(dir, "mounts", NULL);
  if (!hutch_file_replace(path, out->str, out->len, 0600, error)) {
    g_prefix_error(error, "cannot record the sandbox's mounts: ");
    return FALSE;
  }
  return TRUE;
}

GPtrArray *
hutch_state_load_mounts(const char *dir)
{
  g_autofree char *path = g_build_filename(dir, "mounts", NULL);
  g_autofree char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, NULL))
    return NULL;
  GPtrArray *mounts = g_ptr_array_new_with_free_func((GDestroyNotify)hutch_mount_record_free);
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (char **l = lines; *l; l++) {
    g_auto(GStrv) f = g_strsplit(*l, "\t", N_FIELDS);
    if (g_strv_length(f) != N_FIELDS)
      continue;
    HutchMountRecord *r = g_new0(HutchMountRecord, 1);
    r->type = g_strcompress(f[0]);
    r->source = g_strcompress(f[1]);
    r->target = g_strcompress(f[2]);
    r->options = g_strcompress(f[3]);
    r->why = g_strcompress(f[4]);
    g_ptr_array_add(mounts, r);
  }
  return mounts;
}
