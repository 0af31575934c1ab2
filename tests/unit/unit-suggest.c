/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* base/suggest.c: "did you mean". */
#include "suggest.h"

static const char *const perms[] = {"x11", "wayland", "audio", "gpu", "input", NULL};

static void
test_edit_distance(void)
{
  g_assert_cmpuint(hutch_edit_distance("gpu", "gpu"), ==, 0);
  g_assert_cmpuint(hutch_edit_distance("gpu", "gpy"), ==, 1);
  g_assert_cmpuint(hutch_edit_distance("audio", "aduio"), ==, 1); /* a swap of neighbours */
  g_assert_cmpuint(hutch_edit_distance("", "abc"), ==, 3);
  g_autofree char *longer = g_strnfill(1000, 'a');
  g_assert_cmpuint(hutch_edit_distance(longer, "a"), ==, G_MAXUINT);
}

static void
test_suggest_only_likely_typos(void)
{
  g_assert_cmpstr(hutch_suggest("x1l", perms), ==, "x11");
  g_assert_cmpstr(hutch_suggest("wayland", perms), ==, "wayland");
  g_assert_null(hutch_suggest("printer", perms));
  g_autofree char *hint = hutch_did_you_mean("aduio", perms, "'", "'");
  g_assert_cmpstr(hint, ==, " (did you mean 'audio'?)");
  g_autofree char *none = hutch_did_you_mean("printer", perms, "'", "'");
  g_assert_cmpstr(none, ==, "");
  g_autofree char *list = hutch_did_you_mean_or_list("printer", perms);
  g_assert_cmpstr(list, ==, " (one of: x11, wayland, audio, gpu, input)");
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/suggest/distance", test_edit_distance);
  g_test_add_func("/suggest/typos", test_suggest_only_likely_typos);
  return g_test_run();
}
