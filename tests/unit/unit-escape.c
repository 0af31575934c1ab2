/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* base/escape.c: what hutch prints shows control characters escaped. */
#include "escape.h"
#include "print.h"
#include <string.h>

static void
check(const char *in, const char *want)
{
  g_autofree char *out = hutch_escape(in);
  g_assert_cmpstr(out, ==, want);
  /* Escaping is idempotent: printers may meet text escaped before. */
  g_autofree char *again = hutch_escape(out);
  g_assert_cmpstr(again, ==, want);
}

static void
test_controls_and_invalid_bytes(void)
{
  check("plain /path with spaces and \\ backslash", "plain /path with spaces and \\ backslash");
  check("a\nb\rc\td", "a\\nb\\rc\\td");
  check("\x1b[2J\x07\x7f", "\\x1b[2J\\x07\\x7f");
  check("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x87", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x87");
  check("caf\xe9", "caf\\xe9"); /* Latin-1, not UTF-8 */
  check("\xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80",
        "\\xc0\\xaf \\xed\\xa0\\x80 \\xf4\\x90\\x80\\x80");
  check("\xe2\x82", "\\xe2\\x82"); /* cut short at the end */
  check("\xc2\x9b"
        "31m",
        "\\u009b31m"); /* C1 CSI */
  check("\xe2\x80\xae"
        "cod.exe",
        "\\u202ecod.exe"); /* right-to-left override */
  check("a\xe2\x80\xa8"
        "b",
        "a\\u2028b"); /* line separator */
}

static void
test_buffer_is_cut_at_a_whole_escape(void)
{
  char buf[8];
  g_assert_cmpuint(hutch_escape_buf(buf, sizeof(buf), "abcd\n\n"), ==, 8);
  g_assert_cmpstr(buf, ==, "abcd\\n");
  g_assert_cmpuint(hutch_escape_buf(buf, sizeof(buf), "ab\x1b"), ==, 6);
  g_assert_cmpstr(buf, ==, "ab\\x1b");
  g_assert_cmpuint(hutch_escape_buf(buf, 1, "abc"), ==, 3);
  g_assert_cmpstr(buf, ==, "");
  g_assert_cmpuint(hutch_escape_buf(NULL, 0, "abc"), ==, 3);
  g_autofree char *worst = g_strnfill(100, '\xff');
  char big[100 * HUTCH_ESCAPE_MAX_GROWTH + 1];
  g_assert_cmpuint(hutch_escape_buf(big, sizeof(big), worst), ==, 400);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/escape/controls", test_controls_and_invalid_bytes);
  g_test_add_func("/escape/buffer", test_buffer_is_cut_at_a_whole_escape);
  return g_test_run();
}
