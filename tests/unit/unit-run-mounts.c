/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* state/run-mounts.c: the plan's mounts kept in a sandbox's runtime dir. */
#include "run-mounts.h"
#include <glib/gstdio.h>

static HutchMountRecord *
record(const char *type, const char *source, const char *target, const char *options,
       const char *why)
{
  HutchMountRecord *r = g_new0(HutchMountRecord, 1);
  r->type = g_strdup(type);
  r->source = g_strdup(source);
  r->target = g_strdup(target);
  r->options = g_strdup(options);
  r->why = g_strdup(why);
  return r;
}

static void
test_round_trip_keeps_odd_paths(void)
{
  g_autofree char *dir = g_dir_make_tmp("unit-mounts-XXXXXX", NULL);
  g_assert_nonnull(dir);
  g_autoptr(GPtrArray) out =
      g_ptr_array_new_with_free_func((GDestroyNotify)hutch_mount_record_free);
  g_ptr_array_add(out, record("bind", "/home/u/a\tb\nc", "/x", "ro optional", "p.profile:3"));
  g_ptr_array_add(out, record("tmpfs", "", "/tmp", "rw size=10%", "\\ host rootfs"));
  g_assert_true(hutch_state_save_mounts(dir, out, NULL));
  g_autoptr(GPtrArray) in = hutch_state_load_mounts(dir);
  g_assert_nonnull(in);
  g_assert_cmpuint(in->len, ==, 2);
  const HutchMountRecord *a = in->pdata[0], *b = in->pdata[1];
  g_assert_cmpstr(a->source, ==, "/home/u/a\tb\nc");
  g_assert_cmpstr(a->options, ==, "ro optional");
  g_assert_cmpstr(a->why, ==, "p.profile:3");
  g_assert_cmpstr(b->source, ==, "");
  g_assert_cmpstr(b->why, ==, "\\ host rootfs");
  g_autofree char *file = g_build_filename(dir, "mounts", NULL);
  g_unlink(file);
  g_assert_null(hutch_state_load_mounts(dir));
  g_rmdir(dir);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/run-mounts/round-trip", test_round_trip_keeps_odd_paths);
  return g_test_run();
}
