/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* base/subid.c: subordinate id ranges from /etc/subuid-style files and the
 * NSS service named in nsswitch.conf; base/idmap.c: the id map laid out
 * from them. */
#include "idmap.h"
#include "subid.h"
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

static char *
write_temp(const char *text)
{
  GError *error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp("hutch-unit-XXXXXX", &path, &error);
  g_assert_no_error(error);
  close(fd);
  g_assert_true(g_file_set_contents(path, text, -1, NULL));
  return path;
}

static void
test_ranges_by_name_and_id(void)
{
  g_autofree char *file = write_temp("# comment\n"
                                     "alice:100000:65536\n"
                                     "bob:200000:65536\n"
                                     "1000:300000:10\n"
                                     "alice:400000:5\n"
                                     "alice:bad:5\n"
                                     "alice:500000:0\n"
                                     "alice:4294967290:100\n"
                                     "alice:1:2:3\n");
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GArray) r = hutch_subid_ranges(file, "alice", 1000, problems);
  g_assert_cmpuint(r->len, ==, 3);
  HutchSubRange *a = &g_array_index(r, HutchSubRange, 0);
  g_assert_cmpuint(a->start, ==, 100000);
  g_assert_cmpuint(a->count, ==, 65536);
  g_assert_cmpuint(g_array_index(r, HutchSubRange, 1).start, ==, 300000);
  g_assert_cmpuint(g_array_index(r, HutchSubRange, 2).start, ==, 400000);
  /* alice's four broken lines are left out and named: line and why. */
  g_assert_cmpuint(problems->len, ==, 4);
  g_assert_true(g_str_has_prefix(problems->pdata[0], file));
  g_assert_nonnull(strstr(problems->pdata[0], ":6: start 'bad'"));
  g_assert_nonnull(strstr(problems->pdata[1], ":7: count '0'"));
  g_assert_nonnull(strstr(problems->pdata[2], ":8: the range 4294967290:100 goes past"));
  g_assert_nonnull(strstr(problems->pdata[3], ":9: count '2:3'"));
  g_autoptr(GArray) none = hutch_subid_ranges(file, "carol", 1002, NULL);
  g_assert_cmpuint(none->len, ==, 0);
  g_autoptr(GArray) missing = hutch_subid_ranges("/nonexistent/subuid", "alice", 1000, NULL);
  g_assert_cmpuint(missing->len, ==, 0);
  g_unlink(file);
}

static void
test_nss_service(void)
{
  g_autofree char *files = write_temp("passwd: files\nsubid: files\n");
  g_assert_null(hutch_subid_nss_service(files));
  g_autofree char *sss = write_temp("passwd: files sss\nsubid:\tsss\n");
  g_autofree char *service = hutch_subid_nss_service(sss);
  g_assert_cmpstr(service, ==, "sss");
  g_assert_null(hutch_subid_nss_service("/nonexistent/nsswitch.conf"));
  g_unlink(files);
  g_unlink(sss);
}

static void
test_negative_start_is_refused(void)
{
  g_autofree char *file = write_temp("alice:-5:65536\nalice:+7:10\nalice: 8:10\nalice:300000:10\n");
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GArray) r = hutch_subid_ranges(file, "alice", 1000, problems);
  g_assert_cmpuint(r->len, ==, 1);
  g_assert_cmpuint(g_array_index(r, HutchSubRange, 0).start, ==, 300000);
  g_assert_cmpuint(problems->len, ==, 3);
  g_assert_nonnull(strstr(problems->pdata[0], ":1: start '-5' is not a number"));
  g_assert_nonnull(strstr(problems->pdata[1], ":2: start '+7'"));
  g_assert_nonnull(strstr(problems->pdata[2], ":3: start ' 8'"));
  g_unlink(file);
}

static GArray *
subs_of(const guint32 *pairs, guint n)
{
  GArray *subs = g_array_new(FALSE, FALSE, sizeof(HutchSubRange));
  for (guint i = 0; i < n; i++) {
    HutchSubRange r = {pairs[2 * i], pairs[2 * i + 1]};
    g_array_append_val(subs, r);
  }
  return subs;
}

/* Every outside id at most once, every inside id at most once. */
static void
assert_no_overlap(GArray *map)
{
  for (guint i = 0; i < map->len; i++)
    for (guint j = i + 1; j < map->len; j++) {
      HutchIdRange a = g_array_index(map, HutchIdRange, i), b = g_array_index(map, HutchIdRange, j);
      g_assert_true((guint64)a.outside + a.count <= b.outside ||
                    (guint64)b.outside + b.count <= a.outside);
      g_assert_true((guint64)a.inside + a.count <= b.inside ||
                    (guint64)b.inside + b.count <= a.inside);
    }
}

static guint64
ids_mapped(GArray *map)
{
  guint64 n = 0;
  for (guint i = 0; i < map->len; i++)
    n += g_array_index(map, HutchIdRange, i).count;
  return n;
}

static void
test_layout_leaves_out_the_own_id(void)
{
  /* alice (1000) was given 900:65536, which holds her own uid. */
  const guint32 pairs[] = {900, 65536};
  g_autoptr(GArray) subs = subs_of(pairs, 1);
  g_autoptr(GArray) map = g_array_new(FALSE, FALSE, sizeof(HutchIdRange));
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
  hutch_idmap_layout(map, subs, 1000, "uid", "/etc/subuid", notes);
  assert_no_overlap(map);
  g_assert_cmpuint(ids_mapped(map), ==, 65536); /* 65535 subordinate ids and her own */
  HutchIdRange last = g_array_index(map, HutchIdRange, map->len - 1);
  g_assert_cmpuint(last.inside, ==, 1000);
  g_assert_cmpuint(last.outside, ==, 1000);
  g_assert_cmpuint(notes->len, ==, 1);
  g_assert_nonnull(strstr(notes->pdata[0], "contains your own uid 1000"));
}

static void
test_layout_uses_overlapping_ranges_once(void)
{
  const guint32 pairs[] = {100000, 65536, 130000, 65536, 100000, 10};
  g_autoptr(GArray) subs = subs_of(pairs, 3);
  g_autoptr(GArray) map = g_array_new(FALSE, FALSE, sizeof(HutchIdRange));
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
  hutch_idmap_layout(map, subs, 1000, "uid", "/etc/subuid", notes);
  assert_no_overlap(map);
  g_assert_cmpuint(ids_mapped(map), ==, 195536 - 100000 + 1);
  g_assert_cmpuint(notes->len, ==, 2);
  g_assert_nonnull(strstr(notes->pdata[0], "130000:65536 overlaps an earlier one"));
}

static void
test_layout_fits_the_kernels_map(void)
{
  /* 400 ranges: more than the 340 lines, and far more than the 4 KiB, a
   * map may have. */
  guint32 pairs[800];
  for (guint i = 0; i < 400; i++) {
    pairs[2 * i] = 1000000 + i * 2000;
    pairs[2 * i + 1] = 1000;
  }
  g_autoptr(GArray) subs = subs_of(pairs, 400);
  g_autoptr(GArray) map = g_array_new(FALSE, FALSE, sizeof(HutchIdRange));
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
  hutch_idmap_layout(map, subs, 1000, "uid", "/etc/subuid", notes);
  assert_no_overlap(map);
  gsize bytes = 0;
  for (guint i = 0; i < map->len; i++) {
    HutchIdRange r = g_array_index(map, HutchIdRange, i);
    bytes += (gsize)snprintf(NULL, 0, "%u %u %u\n", r.inside, r.outside, r.count);
  }
  g_assert_cmpuint(map->len, <=, 340);
  g_assert_cmpuint(bytes, <, 4096);
  g_assert_cmpuint(map->len, >, 100);
  HutchIdRange last = g_array_index(map, HutchIdRange, map->len - 1);
  g_assert_cmpuint(last.outside, ==, 1000); /* the own id is never what is cut */
  g_assert_cmpuint(notes->len, ==, 1);
  g_autofree char *want = g_strdup_printf("uses %u of your 400 ranges", map->len - 1);
  g_assert_nonnull(strstr(notes->pdata[0], want));
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/subid/ranges", test_ranges_by_name_and_id);
  g_test_add_func("/subid/nss", test_nss_service);
  g_test_add_func("/subid/negative-start", test_negative_start_is_refused);
  g_test_add_func("/subid/layout-own-id", test_layout_leaves_out_the_own_id);
  g_test_add_func("/subid/layout-overlap", test_layout_uses_overlapping_ranges_once);
  g_test_add_func("/subid/layout-kernel-limit", test_layout_fits_the_kernels_map);
  return g_test_run();
}
