/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* desktop/file-args.c: which arguments name the user's files, against a
 * scratch directory. */
#include "file-args.h"
#include <glib/gstdio.h>
#include <stdlib.h>

static char *dir; /* realpath'd scratch directory */

static gboolean
parse(const char *arg, HutchFileArg *out)
{
  return hutch_file_arg_parse(arg, dir, out);
}

static void
test_existing_files(void)
{
  g_autofree char *file = g_build_filename(dir, "notes.txt", NULL);
  g_autofree char *link = g_build_filename(dir, "link.txt", NULL);
  g_assert_true(g_file_set_contents(file, "x", 1, NULL));
  g_assert_cmpint(symlink("notes.txt", link), ==, 0);

  g_auto(HutchFileArg) a = {0};
  g_assert_true(parse("notes.txt", &a)); /* relative to the caller's directory */
  g_assert_cmpstr(a.path, ==, file);
  g_assert_true(a.exists);
  g_assert_false(a.uri);
  hutch_file_arg_clear(&a);

  g_assert_true(parse(link, &a)); /* symlinks resolved */
  g_assert_cmpstr(a.path, ==, file);
  hutch_file_arg_clear(&a);

  g_autofree char *uri = g_filename_to_uri(file, NULL, NULL);
  g_assert_true(parse(uri, &a));
  g_assert_cmpstr(a.path, ==, file);
  g_assert_true(a.uri);
  hutch_file_arg_clear(&a);
  g_autofree char *local = g_strconcat("file://localhost", file, NULL);
  g_assert_true(parse(local, &a));
  hutch_file_arg_clear(&a);
}

static void
test_new_files(void)
{
  g_autofree char *fresh = g_build_filename(dir, "new.txt", NULL);
  g_auto(HutchFileArg) a = {0};
  g_assert_true(parse("./new.txt", &a));
  g_assert_cmpstr(a.path, ==, fresh);
  g_assert_false(a.exists);
  hutch_file_arg_clear(&a);
  g_assert_true(parse(fresh, &a));
  hutch_file_arg_clear(&a);
  /* A word that names nothing is a word, even where it could be a file. */
  g_assert_false(parse("new.txt", &a));
  /* No one may create a file in / (the tests do not run as root there). */
  if (getuid() != 0)
    g_assert_false(parse("/nonexistent-word", &a));
  g_assert_false(parse("/no/such/dir/x", &a));
}

static void
test_not_files(void)
{
  g_auto(HutchFileArg) a = {0};
  const char *words[] = {"",
                         "-v",
                         "--file=/etc/passwd",
                         "http://example.org/x",
                         dir,
                         "/dev/null",
                         "/proc/self/status",
                         "/sys/kernel",
                         "file://otherhost/etc/passwd",
                         "file:relative",
                         NULL};
  for (const char **w = words; *w; w++) {
    g_assert_false(parse(*w, &a));
    g_assert_null(a.path);
  }
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_autofree char *made = g_dir_make_tmp("unit-file-args-XXXXXX", NULL);
  dir = realpath(made, NULL);
  g_test_add_func("/file-args/existing", test_existing_files);
  g_test_add_func("/file-args/new", test_new_files);
  g_test_add_func("/file-args/not-files", test_not_files);
  int rc = g_test_run();
  g_autofree char *rm = g_strdup_printf("rm -rf '%s'", dir);
  if (system(rm) != 0)
    rc = 1;
  free(dir);
  return rc;
}
