/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* base/subid.c: subordinate id ranges from /etc/subuid-style files and the
 * NSS service named in nsswitch.conf. */
#include "subid.h"
#include <glib/gstdio.h>

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
  g_autoptr(GArray) r = hutch_subid_ranges(file, "alice", 1000);
  g_assert_cmpuint(r->len, ==, 3);
  HutchSubRange *a = &g_array_index(r, HutchSubRange, 0);
  g_assert_cmpuint(a->start, ==, 100000);
  g_assert_cmpuint(a->count, ==, 65536);
  g_assert_cmpuint(g_array_index(r, HutchSubRange, 1).start, ==, 300000);
  g_assert_cmpuint(g_array_index(r, HutchSubRange, 2).start, ==, 400000);
  g_autoptr(GArray) none = hutch_subid_ranges(file, "carol", 1002);
  g_assert_cmpuint(none->len, ==, 0);
  g_autoptr(GArray) missing = hutch_subid_ranges("/nonexistent/subuid", "alice", 1000);
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

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/subid/ranges", test_ranges_by_name_and_id);
  g_test_add_func("/subid/nss", test_nss_service);
  return g_test_run();
}
