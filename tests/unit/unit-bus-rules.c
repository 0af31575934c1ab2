/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* policy/bus-rules.c: bus names, call rules and app ids as xdg-dbus-proxy
 * and xdg-desktop-portal take them, and the rules a policy holds. */
#include "bus-rules.h"
#include "error.h"

static void
test_names(void)
{
  const char *good[] = {"org.freedesktop.Notifications",
                        "org.mpris.MediaPlayer2.mpv",
                        "org.mpris.MediaPlayer2.mpv.*",
                        "org.freedesktop.portal.*",
                        "org.example.with-dash",
                        "a.b",
                        "com.x_1.y2",
                        NULL};
  for (const char **g = good; *g; g++)
    g_assert_true(hutch_bus_name_check(*g, NULL));
  const char *bad[] = {"",
                       "org",
                       ":1.4",
                       "org..x",
                       ".org.x",
                       "org.x.",
                       "org.*",
                       "org.1x.y",
                       "org.x y.z",
                       "org.x/y",
                       "*",
                       "org.x.*.y",
                       "org.freedesktop.DBus",
                       "org.x\n",
                       NULL};
  for (const char **b = bad; *b; b++) {
    GError *error = NULL;
    g_assert_false(hutch_bus_name_check(*b, &error));
    g_assert_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE);
    g_clear_error(&error);
  }
  g_autofree char *bs = g_strnfill(253, 'b');
  g_autofree char *longest = g_strconcat("a.", bs, NULL);
  g_assert_true(hutch_bus_name_check(longest, NULL));
  g_autofree char *too_long = g_strconcat(longest, "c", NULL);
  g_assert_false(hutch_bus_name_check(too_long, NULL));
}

static void
test_rules(void)
{
  const char *good[] = {"*",
                        "org.freedesktop.ScreenSaver.Inhibit",
                        "org.mpris.MediaPlayer2.Player.*",
                        "@/org/freedesktop/ScreenSaver",
                        "*@/org/mpris/*",
                        "org.example.I.M@/",
                        NULL};
  for (const char **g = good; *g; g++)
    g_assert_true(hutch_bus_rule_check(*g, NULL));
  const char *bad[] = {
      "",          "@",         "org.x",        "org.x.1M", "org.x.M@x", "x.y.*@/a//b",
      "x.y.M@/a/", "org.x-y.M", "org.x.M@/a b", NULL};
  for (const char **b = bad; *b; b++) {
    GError *error = NULL;
    g_assert_false(hutch_bus_rule_check(*b, &error));
    g_assert_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE);
    g_clear_error(&error);
  }
}

static void
test_app_ids(void)
{
  g_assert_true(hutch_app_id_check("org.example.Editor", NULL));
  g_assert_true(hutch_app_id_check("hutch.sandbox.firefox-esr", NULL));
  g_assert_true(hutch_app_id_check("snap.2048", NULL));
  const char *bad[] = {"", "editor", "org.ex-ample.Editor", "org..x", "org.x.", "org.x y", NULL};
  for (const char **b = bad; *b; b++)
    g_assert_false(hutch_app_id_check(*b, NULL));

  g_autoptr(HutchPolicy) p = hutch_policy_new();
  char *argv[] = {"/usr/bin/9 lives", NULL};
  p->argv = g_strdupv(argv);
  g_autofree char *from_cmd = hutch_policy_app_id(p);
  g_assert_cmpstr(from_cmd, ==, "hutch.sandbox._9_lives");
  g_assert_true(hutch_app_id_check(from_cmd, NULL));
  p->profile_name = g_strdup("firefox-esr");
  g_autofree char *from_profile = hutch_policy_app_id(p);
  g_assert_cmpstr(from_profile, ==, "hutch.sandbox.firefox_esr");
  p->app_id = g_strdup("org.mozilla.firefox");
  g_autofree char *given = hutch_policy_app_id(p);
  g_assert_cmpstr(given, ==, "org.mozilla.firefox");
}

static void
test_policy_rules(void)
{
  g_autoptr(HutchPolicy) p = hutch_policy_new();
  g_assert_false(hutch_policy_has_bus(p, HUTCH_BUS_SESSION));
  hutch_policy_add_bus_rule(p, HUTCH_BUS_SESSION, HUTCH_BUS_TALK, "org.freedesktop.portal.*", NULL,
                            "a.inc:3");
  hutch_policy_add_bus_rule(p, HUTCH_BUS_SESSION, HUTCH_BUS_CALL, "org.example.S",
                            "org.example.S.Get@/x", "a.inc:4");
  hutch_policy_add_bus_rule(p, HUTCH_BUS_SESSION, HUTCH_BUS_TALK, "org.freedesktop.portal.*", NULL,
                            "b.profile:9");
  hutch_policy_add_bus_rule(p, HUTCH_BUS_SYSTEM, HUTCH_BUS_SEE, "org.freedesktop.login1", NULL,
                            "b.profile:10");
  g_assert_cmpuint(p->bus_rules->len, ==, 3); /* the same rule again only moved */
  const HutchBusRule *last = p->bus_rules->pdata[1];
  g_assert_cmpstr(last->origin, ==, "b.profile:9");
  g_assert_true(hutch_policy_has_bus(p, HUTCH_BUS_SESSION));
  g_assert_true(hutch_policy_has_bus(p, HUTCH_BUS_SYSTEM));

  g_assert_true(hutch_policy_may_call(p, HUTCH_BUS_SESSION, "org.freedesktop.portal.Desktop"));
  g_assert_true(hutch_policy_may_call(p, HUTCH_BUS_SESSION, "org.freedesktop.portal"));
  g_assert_false(hutch_policy_may_call(p, HUTCH_BUS_SESSION, "org.freedesktop.portalx"));
  g_assert_true(hutch_policy_may_call(p, HUTCH_BUS_SESSION, "org.example.S"));
  g_assert_false(hutch_policy_may_call(p, HUTCH_BUS_SYSTEM, "org.freedesktop.login1"));

  g_autofree char *talk = hutch_bus_rule_proxy_arg(p->bus_rules->pdata[1]);
  g_assert_cmpstr(talk, ==, "--talk=org.freedesktop.portal.*");
  g_autofree char *call = hutch_bus_rule_proxy_arg(p->bus_rules->pdata[0]);
  g_assert_cmpstr(call, ==, "--call=org.example.S=org.example.S.Get@/x");

  hutch_policy_forget_bus_name(p, HUTCH_BUS_SESSION, "org.example.S");
  g_assert_cmpuint(p->bus_rules->len, ==, 2);
  hutch_policy_forget_bus_name(p, HUTCH_BUS_SESSION, "*");
  g_assert_false(hutch_policy_has_bus(p, HUTCH_BUS_SESSION));
  g_assert_true(hutch_policy_has_bus(p, HUTCH_BUS_SYSTEM));
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/bus-rules/names", test_names);
  g_test_add_func("/bus-rules/rules", test_rules);
  g_test_add_func("/bus-rules/app-ids", test_app_ids);
  g_test_add_func("/bus-rules/policy-rules", test_policy_rules);
  return g_test_run();
}
