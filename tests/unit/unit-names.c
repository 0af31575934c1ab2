/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* state/names.c: the names sandboxes may have, and the generated ones. */
#include "names.h"
#include "error.h"
#include "policy.h"

static void
test_valid_names(void)
{
  g_assert_true(hutch_name_valid("firefox-esr"));
  g_assert_true(hutch_name_valid("a.b_c-2"));
  g_autofree char *max = g_strnfill(HUTCH_NAME_MAX, 'a');
  g_assert_true(hutch_name_valid(max));
  g_autofree char *over = g_strnfill(HUTCH_NAME_MAX + 1, 'a');
  g_assert_false(hutch_name_valid(over));
  const char *bad[] = {"", ".", "..", ".hidden", "-opt", "a/b", "a b", "caf\xc3\xa9", "x\n", NULL};
  for (const char **b = bad; *b; b++)
    g_assert_false(hutch_name_valid(*b));
  GError *error = NULL;
  g_assert_false(hutch_name_check("a\x1b[31m", &error));
  g_assert_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE);
  g_assert_null(strchr(error->message, '\x1b')); /* shown escaped */
  g_clear_error(&error);
}

static void
test_generated_base(void)
{
  g_autoptr(HutchPolicy) p = hutch_policy_new();
  char *argv[] = {"/usr/bin/my app!", NULL};
  p->argv = g_strdupv(argv);
  g_autofree char *from_cmd = hutch_name_base(p);
  g_assert_cmpstr(from_cmd, ==, "my_app_");
  p->profile_name = g_strdup("-mpv");
  g_autofree char *from_profile = hutch_name_base(p);
  g_assert_cmpstr(from_profile, ==, "_mpv");
  g_autofree char *longer = g_strnfill(200, 'x');
  g_free(p->profile_name);
  p->profile_name = g_strdup(longer);
  g_autofree char *cut = hutch_name_base(p);
  g_assert_cmpuint(strlen(cut), <=, HUTCH_NAME_MAX - 8);
  g_assert_true(hutch_name_valid(cut));
  g_clear_pointer(&p->profile_name, g_free);
  g_clear_pointer(&p->argv, g_strfreev);
  g_autofree char *none = hutch_name_base(p);
  g_assert_cmpstr(none, ==, "sandbox");
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/names/valid", test_valid_names);
  g_test_add_func("/names/base", test_generated_base);
  return g_test_run();
}
