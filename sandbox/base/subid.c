#include "subid.h"
#include "idmap.h"
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
hutch_subid_lookup(gboolean gid, const char *user, guint32 uid, const char **source)
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
  return hutch_subid_ranges(gid ? "/etc/subgid" : "/etc/subuid", user, uid);
}
