/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "subid.h"
#include <errno.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

char *
hutch_subid_nss_service(const char *nsswitch_path)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents(nsswitch_path, &text, NULL, NULL))
    return NULL;
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (char **l = lines; *l; l++) {
    char *line = g_strstrip(*l);
    if (!g_str_has_prefix(line, "subid:"))
      continue;
    g_auto(GStrv) words = g_strsplit_set(line + strlen("subid:"), " \t", -1);
    for (char **w = words; *w; w++)
      if (**w && !g_str_equal(*w, "files"))
        return g_strdup(*w);
  }
  return NULL;
}

/* struct subid_range of <shadow/subid.h>, ABI 4. */
typedef struct {
  unsigned long start;
  unsigned long count;
} SubidRange;

typedef int (*SubidGetRanges)(const char *owner, SubidRange **ranges);

static GArray *
lookup_libsubid(gboolean gid, const char *user)
{
  static void *lib;
  if (!lib)
    lib = dlopen("libsubid.so.4", RTLD_NOW | RTLD_LOCAL);
  SubidGetRanges get =
      lib ? (SubidGetRanges)dlsym(lib, gid ? "subid_get_gid_ranges" : "subid_get_uid_ranges")
          : NULL;
  if (!get || !user)
    return NULL;
  SubidRange *ranges = NULL;
  int n = get(user, &ranges);
  if (n < 0)
    return NULL;
  GArray *out = g_array_new(FALSE, FALSE, sizeof(HutchSubRange));
  for (int i = 0; i < n; i++) {
    if (ranges[i].count == 0 || ranges[i].start + ranges[i].count > G_MAXUINT32)
      continue;
    HutchSubRange r = {(guint32)ranges[i].start, (guint32)ranges[i].count};
    g_array_append_val(out, r);
  }
  free(ranges);
  return out;
}

GArray *
hutch_subid_lookup(gboolean gid, const char *user, guint32 uid, const char **source,
                   GPtrArray *problems)
{
  g_autofree char *service = hutch_subid_nss_service("/etc/nsswitch.conf");
  /* HUTCH_SUBID=libsubid makes the files go through libsubid too, so the
   * tests can check it against the direct reading. */
  if (service || g_strcmp0(g_getenv("HUTCH_SUBID"), "libsubid") == 0) {
    GArray *ranges = lookup_libsubid(gid, user);
    if (ranges) {
      *source = "libsubid";
      return ranges;
    }
  }
  *source = gid ? "/etc/subgid" : "/etc/subuid";
  return hutch_subid_ranges(gid ? "/etc/subgid" : "/etc/subuid", user, uid, problems);
}

/* An unsigned decimal number: no sign (strtoull reads "-5" as 2^64-5),
 * no blanks, no suffix. */
static gboolean
parse_id(const char *s, guint64 *out)
{
  if (!g_ascii_isdigit(*s))
    return FALSE;
  char *end;
  errno = 0;
  *out = g_ascii_strtoull(s, &end, 10);
  return !errno && !*end;
}

/* NULL when START:COUNT of a line is a usable range, else what is wrong. */
static char *
range_problem(char **f, guint64 *start, guint64 *count)
{
  if (!f[1] || !f[2])
    return g_strdup("expected NAME:START:COUNT");
  if (!parse_id(f[1], start) || *start >= G_MAXUINT32)
    return g_strdup_printf("start '%s' is not a number from 0 to %u", f[1], G_MAXUINT32 - 1);
  if (!parse_id(f[2], count) || *count == 0 || *count > G_MAXUINT32)
    return g_strdup_printf("count '%s' is not a number from 1 to %u", f[2], G_MAXUINT32);
  /* (uid_t)-1 is no id: the kernel maps up to 4294967294. */
  if (*start + *count > G_MAXUINT32)
    return g_strdup_printf("the range %s:%s goes past the last id, %u", f[1], f[2],
                           G_MAXUINT32 - 1);
  return NULL;
}

GArray *
hutch_subid_ranges(const char *file, const char *user, guint32 id, GPtrArray *problems)
{
  GArray *ranges = g_array_new(FALSE, FALSE, sizeof(HutchSubRange));
  g_autofree char *contents = NULL;
  if (!g_file_get_contents(file, &contents, NULL, NULL))
    return ranges;
  g_autofree char *id_str = g_strdup_printf("%u", id);
  g_auto(GStrv) lines = g_strsplit(contents, "\n", -1);
  for (guint n = 0; lines[n]; n++) {
    const char *line = g_strstrip(lines[n]);
    if (!*line || *line == '#')
      continue;
    g_auto(GStrv) f = g_strsplit(line, ":", 3);
    if (!(g_str_equal(f[0], id_str) || (user && g_str_equal(f[0], user))))
      continue;
    guint64 start = 0, count = 0;
    g_autofree char *problem = range_problem(f, &start, &count);
    if (problem) {
      if (problems)
        g_ptr_array_add(problems, g_strdup_printf("%s:%u: %s; the line is left out (ask the "
                                                  "administrator to correct it)",
                                                  file, n + 1, problem));
      continue;
    }
    HutchSubRange r = {(guint32)start, (guint32)count};
    g_array_append_val(ranges, r);
  }
  return ranges;
}
