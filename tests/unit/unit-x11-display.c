/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* desktop/x11-display.c: which DISPLAY values hutch passes through. */
#include "x11-display.h"
#include "error.h"

static void
test_local_displays(void)
{
  struct {
    const char *value, *number, *screen;
  } ok[] = {{":0", "0", ""}, {":12.1", "12", ".1"}, {"unix:3", "3", ""}, {"unix:3.0", "3", ".0"}};
  for (gsize i = 0; i < G_N_ELEMENTS(ok); i++) {
    g_auto(HutchX11Display) d = {0};
    GError *error = NULL;
    g_assert_true(hutch_x11_parse_display(ok[i].value, &d, &error));
    g_assert_no_error(error);
    g_assert_cmpstr(d.number, ==, ok[i].number);
    g_assert_cmpstr(d.screen, ==, ok[i].screen);
  }
}

static void
test_refused_displays(void)
{
  const char *bad[] = {"localhost:10.0", "host/unix:0", "0", ":", ":x", ":1.x", ":1.", "", NULL};
  for (const char **b = bad; *b; b++) {
    g_auto(HutchX11Display) d = {0};
    GError *error = NULL;
    g_assert_false(hutch_x11_parse_display(*b, &d, &error));
    g_assert_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST);
    g_assert_true(strstr(error->message, "DISPLAY=") != NULL);
    g_clear_error(&error);
  }
  GError *error = NULL;
  g_auto(HutchX11Display) d = {0};
  g_assert_false(hutch_x11_parse_display("localhost:10.0", &d, &error));
  g_assert_true(strstr(error->message, "TCP display") != NULL);
  g_clear_error(&error);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/x11-display/local", test_local_displays);
  g_test_add_func("/x11-display/refused", test_refused_displays);
  return g_test_run();
}
