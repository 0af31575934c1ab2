/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* profile/profile-lines.c: the scanner that gives every profile key its
 * line and refuses what GKeyFile would silently accept. */
#include "profile-lines.h"
#include <string.h>

static HutchProfileLines *
scan(const char *text, GPtrArray *errors)
{
  return hutch_profile_lines_scan("t.profile", text, strlen(text), errors);
}

static void
test_lines_of_keys_and_sections(void)
{
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(HutchProfileLines) lines = scan(
      "# comment\n[Profile]\ndescription=x\n\n  [Filesystem]\nhome = rw\nro=~/a;~/b\n", errors);
  g_assert_nonnull(lines);
  g_assert_cmpuint(errors->len, ==, 0);
  g_assert_cmpuint(lines->entries->len, ==, 3);
  const HutchProfileLine *home = lines->entries->pdata[1];
  g_assert_cmpstr(home->section, ==, "Filesystem");
  g_assert_cmpstr(home->key, ==, "home");
  g_assert_cmpuint(home->line, ==, 6);
  g_assert_cmpuint(hutch_profile_lines_section(lines, "Profile"), ==, 2);
  g_assert_cmpuint(hutch_profile_lines_section(lines, "Filesystem"), ==, 5);
  g_assert_cmpuint(hutch_profile_lines_section(lines, "Nope"), ==, 0);
}

static void
expect_error(const char *text, const char *fragment)
{
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(HutchProfileLines) lines = scan(text, errors);
  g_assert_null(lines);
  g_assert_cmpuint(errors->len, >=, 1);
  const char *msg = errors->pdata[0];
  if (!strstr(msg, fragment))
    g_error("'%s' does not contain '%s'", msg, fragment);
  g_assert_true(g_str_has_prefix(msg, "t.profile:"));
}

static void
test_refusals_name_the_line(void)
{
  expect_error("[A]\nk=1\nk=2\n", "t.profile:3: duplicate key 'k' in [A] (first at line 2)");
  expect_error("[A]\n[A]\n", "t.profile:2: section [A] appears twice (first at line 1)");
  expect_error("k=1\n", "t.profile:1: key 'k' comes before any [Section]");
  expect_error("[A]\njust words\n", "t.profile:2: 'just words' is not a [Section]");
  expect_error("[A\n", "t.profile:1: section header without ']'");
  expect_error("[A] x\n", "t.profile:1: text after the section header");
  expect_error("[A]\n=v\n", "t.profile:2: a value without a key");
  expect_error("[A]\nk$=v\n", "is not a key name");
  expect_error("[A]\nk=\x1b[31mred\n", "t.profile:2:");
}

static void
test_oversized_profile_is_refused_whole(void)
{
  gsize len = HUTCH_PROFILE_MAX_SIZE + 1;
  g_autofree char *big = g_malloc(len);
  memset(big, '#', len);
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(HutchProfileLines) lines = hutch_profile_lines_scan("big", big, len, errors);
  g_assert_null(lines);
  g_assert_cmpuint(errors->len, ==, 1);
  g_assert_true(g_str_has_prefix(errors->pdata[0], "big:1: larger than 256 KiB"));
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/profile-lines/lines", test_lines_of_keys_and_sections);
  g_test_add_func("/profile-lines/refusals", test_refusals_name_the_line);
  g_test_add_func("/profile-lines/oversized", test_oversized_profile_is_refused_whole);
  return g_test_run();
}
