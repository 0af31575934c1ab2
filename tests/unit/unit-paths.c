/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* base/util.c: the checks every path of a profile or command line passes,
 * and the containment test the plan's path checks share. */
#include "error.h"
#include "plan.h"
#include "util.h"
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void
test_dotdot_is_a_whole_component(void)
{
  const char *with[] = {"..", "/..", "../a", "/a/..", "/a/../b", "a/..", "/a/b/../../c", NULL};
  for (const char **p = with; *p; p++)
    g_assert_true(hutch_path_has_dotdot(*p));
  const char *without[] = {"",      "/",      "/a",      "/a..",  "/..a",   "/a..b/c",
                           "/.../", "/a/...", ".../x",   "/.a/.", "/a/./b", "/a.b/c..d",
                           "...",   "/..../", "/a/b..c", NULL};
  for (const char **p = without; *p; p++)
    g_assert_false(hutch_path_has_dotdot(*p));
}

static void
test_expand_path(void)
{
  GError *error = NULL;
  g_autofree char *home = hutch_expand_path("~/Music/./x", "/home/u", &error);
  g_assert_no_error(error);
  g_assert_cmpstr(home, ==, "/home/u/Music/x");
  g_autofree char *env = hutch_expand_path("$HOME", "/home/u", &error);
  g_assert_cmpstr(env, ==, "/home/u");
  g_assert_null(hutch_expand_path("~/a/../.ssh", "/home/u", &error));
  g_assert_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE);
  g_clear_error(&error);
  g_assert_null(hutch_expand_path("relative/path", "/home/u", &error));
  g_assert_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE);
  g_clear_error(&error);
}

/* The shortcut gives what GLib gives, on paths that are canonical already
 * and on every way one can fail to be. */
static void
test_canonical_path_is_glibs(void)
{
  const char *paths[] = {
      "/",        "//",       "///",     "/a",      "/a/",     "/a//b",
      "//a",      "/a/.",     "/a/./b",  "/./a",    "/.",      "/a/..",
      "/a/../b",  "/..",      "/.a",     "/a/.b/c", "/a/b.",   "/a..b",
      "/...",     "/a/.../b", "/a/b/c/", "/a//",    "/a/b//c", "/home/u/.config/x",
      "/a/.b./c", "/..a",     "/a/b/..", NULL};
  for (const char **p = paths; *p; p++) {
    g_autofree char *ours = hutch_canonical_path(*p);
    g_autofree char *glibs = g_canonicalize_filename(*p, "/");
    g_assert_cmpstr(ours, ==, glibs);
  }
}

/* A home or a user dir with separators at the joint is joined as
 * g_build_filename joins it. */
static void
test_expand_path_joints(void)
{
  const char *homes[] = {"/home/u", "/home/u/", "//home//u", "/", "//", "/home/u//", NULL};
  const char *rests[] = {".ssh", "/.ssh", ".ssh/", "", "a//b", "//a/./b", NULL};
  for (const char **h = homes; *h; h++)
    for (const char **r = rests; *r; r++) {
      GError *error = NULL;
      g_autofree char *rule = g_strconcat("~/", *r, NULL);
      g_autofree char *ours = hutch_expand_path(rule, *h, &error);
      g_assert_no_error(error);
      g_autofree char *built = g_build_filename(*h, *r, NULL);
      g_autofree char *glibs = g_canonicalize_filename(built, "/");
      g_assert_cmpstr(ours, ==, glibs);
    }
}

/* The plan's resolution, through each directory's parent, agrees with
 * realpath across a symlinked directory, a missing entry, a file, and
 * paths below a missing directory or a file. */
static void
test_plan_resolve_is_realpath(void)
{
  g_autofree char *top = g_dir_make_tmp("unit-paths-XXXXXX", NULL);
  g_assert_nonnull(top);
  g_autofree char *real_top = realpath(top, NULL);
  g_autofree char *deep = g_build_filename(top, "real", "a", "b", NULL);
  g_assert_cmpint(g_mkdir_with_parents(deep, 0700), ==, 0);
  g_autofree char *file = g_build_filename(deep, "f", NULL);
  g_assert_true(g_file_set_contents(file, "", 0, NULL));
  g_autofree char *link = g_build_filename(top, "link", NULL);
  g_assert_cmpint(symlink("real/a", link), ==, 0);
  HutchPlan plan = {.resolved_dirs =
                        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free)};
  const char *rels[] = {"real/a/b/f", "link/b/f", "link/b", "link", "real/a/b/f/x", "missing/x",
                        "link/missing", "real/a/b/f", "link/b/f",
                        /* under a missing directory, a file, a dot-dot */
                        "missing/x/y/z", "link/missing/deeper", "real/a/b/f/x/y", "real/a/../a/b/f",
                        "link/../link/b", NULL};
  for (const char **r = rels; *r; r++) {
    g_autofree char *path = g_build_filename(real_top, *r, NULL);
    struct stat st;
    g_autofree char *ours = hutch_plan_resolve(&plan, path, &st);
    g_autofree char *theirs = realpath(path, NULL);
    g_assert_cmpstr(ours, ==, theirs);
  }
  g_hash_table_unref(plan.resolved_dirs);
  hutch_rm_rf(top);
  g_assert_false(g_file_test(top, G_FILE_TEST_EXISTS));
}

static void
test_is_under_is_by_whole_components(void)
{
  g_assert_true(hutch_path_is_under("/home/u", "/home/u"));
  g_assert_true(hutch_path_is_under("/home/u/.ssh", "/home/u"));
  g_assert_true(hutch_path_is_under("/anything", "/"));
  g_assert_true(hutch_path_is_under("/", "/"));
  g_assert_false(hutch_path_is_under("/home/user", "/home/u"));
  g_assert_false(hutch_path_is_under("/home", "/home/u"));
  g_assert_false(hutch_path_is_under("/", "/home"));
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/paths/dotdot", test_dotdot_is_a_whole_component);
  g_test_add_func("/paths/expand", test_expand_path);
  g_test_add_func("/paths/expand-joints", test_expand_path_joints);
  g_test_add_func("/paths/canonical", test_canonical_path_is_glibs);
  g_test_add_func("/paths/plan-resolve", test_plan_resolve_is_realpath);
  g_test_add_func("/paths/is-under", test_is_under_is_by_whole_components);
  return g_test_run();
}
