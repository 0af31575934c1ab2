/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* desktop/pulse-tagstruct.c: the sound server's value encoding. */
#include "pulse-tagstruct.h"
#include <string.h>

static HutchTagReader
reader_of(const HutchTagWriter *w)
{
  HutchTagReader r = {w->data->data, w->data->data + w->data->len};
  return r;
}

static void
test_round_trip(void)
{
  HutchTagWriter w;
  hutch_tag_writer_init(&w);
  hutch_tag_put_u32(&w, 0xdeadbeef);
  hutch_tag_put_string(&w, "hutch");
  hutch_tag_put_string(&w, NULL);
  const char *pairs[] = {"application.name", "hutch", NULL};
  hutch_tag_put_proplist(&w, pairs);
  /* 'L' u32 big-endian; 't' string NUL; 'N' null string */
  g_assert_cmpuint(w.data->data[0], ==, 'L');
  g_assert_cmpuint(w.data->data[1], ==, 0xde);
  g_assert_cmpuint(w.data->data[4], ==, 0xef);
  g_assert_cmpuint(w.data->data[5], ==, 't');
  HutchTagReader r = reader_of(&w);
  guint32 v = 0;
  const char *s = NULL;
  g_assert_false(hutch_tag_get_string(&r, &s)); /* wrong type consumes nothing */
  g_assert_true(hutch_tag_get_u32(&r, &v));
  g_assert_cmphex(v, ==, 0xdeadbeef);
  g_assert_true(hutch_tag_get_string(&r, &s));
  g_assert_cmpstr(s, ==, "hutch");
  g_assert_true(hutch_tag_get_string(&r, &s));
  g_assert_null(s);
  g_assert_true(hutch_tag_skip_proplist(&r));
  g_assert_true(r.p == r.end);
  g_byte_array_unref(w.data);
}

static void
test_truncated_values_are_refused(void)
{
  HutchTagWriter w;
  hutch_tag_writer_init(&w);
  hutch_tag_put_u32(&w, 7);
  hutch_tag_put_string(&w, "abc");
  for (guint cut = 0; cut < w.data->len; cut++) {
    HutchTagReader r = {w.data->data, w.data->data + cut};
    guint32 v;
    const char *s;
    if (hutch_tag_get_u32(&r, &v))
      g_assert_false(hutch_tag_get_string(&r, &s));
  }
  const guint8 unterminated[] = {'t', 'a', 'b'};
  HutchTagReader r = {unterminated, unterminated + sizeof(unterminated)};
  const char *s;
  g_assert_false(hutch_tag_get_string(&r, &s));
  g_assert_true(r.p == unterminated);
  g_byte_array_unref(w.data);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/tagstruct/round-trip", test_round_trip);
  g_test_add_func("/tagstruct/truncated", test_truncated_values_are_refused);
  return g_test_run();
}
