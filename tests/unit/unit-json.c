/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* base/json.c: the writer behind --json and --json-status-fd. */
#include "json.h"

static void
test_nesting_and_commas(void)
{
  g_autoptr(GString) out = g_string_new(NULL);
  HutchJson j;
  hutch_json_init(&j, out);
  hutch_json_begin_object(&j, NULL);
  hutch_json_string(&j, "name", "a");
  hutch_json_int(&j, "pid", -7);
  hutch_json_bool(&j, "ok", TRUE);
  hutch_json_null(&j, "none");
  hutch_json_string(&j, "nul", NULL);
  hutch_json_begin_array(&j, "list");
  hutch_json_int(&j, NULL, 1);
  hutch_json_begin_object(&j, NULL);
  hutch_json_end_object(&j);
  hutch_json_end_array(&j);
  char *argv[] = {"x", "y", NULL};
  hutch_json_strv(&j, "argv", argv);
  hutch_json_end_object(&j);
  g_assert_cmpstr(out->str, ==,
                  "{\"name\":\"a\",\"pid\":-7,\"ok\":true,\"none\":null,\"nul\":null,"
                  "\"list\":[1,{}],\"argv\":[\"x\",\"y\"]}");
}

static void
test_strings_are_escaped(void)
{
  g_autoptr(GString) out = g_string_new(NULL);
  HutchJson j;
  hutch_json_init(&j, out);
  hutch_json_begin_object(&j, NULL);
  hutch_json_string(&j, "k\"", "q\" b\\ nl\n tab\t bell\x07 esc\x1b");
  hutch_json_end_object(&j);
  g_assert_cmpstr(out->str, ==, "{\"k\\\"\":\"q\\\" b\\\\ nl\\n tab\\t bell\\u0007 esc\\u001b\"}");
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/json/nesting", test_nesting_and_commas);
  g_test_add_func("/json/escaping", test_strings_are_escaped);
  return g_test_run();
}
