/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* profile/launcher.c: what a Steam launch's environment grants. */
#include "launcher.h"

static void
test_app_id(void)
{
  char *ok[] = {"SteamAppId=4242", NULL};
  char *compat[] = {"STEAM_COMPAT_APP_ID=77", NULL};
  char *bad[] = {"SteamAppId=12a", "STEAM_COMPAT_APP_ID=", NULL};
  char *zero[] = {"SteamAppId=0", NULL};
  g_autofree char *a = hutch_launcher_steam_app_id(ok);
  g_autofree char *b = hutch_launcher_steam_app_id(compat);
  g_assert_cmpstr(a, ==, "4242");
  g_assert_cmpstr(b, ==, "77");
  g_assert_null(hutch_launcher_steam_app_id(bad));
  g_assert_null(hutch_launcher_steam_app_id(zero));
  g_assert_null(hutch_launcher_steam_app_id((char *[]){NULL}));
}

static const HutchPathRule *
rule_for(const HutchPolicy *p, const char *path)
{
  for (guint i = 0; i < p->paths->len; i++) {
    const HutchPathRule *r = p->paths->pdata[i];
    if (g_str_equal(r->path, path))
      return r;
  }
  return NULL;
}

static void
test_grants(void)
{
  char *envp[] = {"SteamAppId=10", "STEAM_COMPAT_DATA_PATH=/s/compatdata/10",
                  "STEAM_COMPAT_INSTALL_PATH=/s/common/Game",
                  "STEAM_COMPAT_TOOL_PATHS=/t/one:/t/two::relative", NULL};
  g_autoptr(HutchPolicy) p = hutch_policy_new();
  hutch_launcher_apply(p, envp, "/home/u");
  const HutchPathRule *data = rule_for(p, "/s/compatdata/10");
  const HutchPathRule *game = rule_for(p, "/s/common/Game");
  if (!data || !game)
    g_error("the data and install paths are granted");
  g_assert_cmpint(data->mode, ==, HUTCH_PATH_RW);
  g_assert_true(data->optional);
  g_assert_cmpstr(data->origin, ==, "STEAM_COMPAT_DATA_PATH (Steam launch)");
  g_assert_cmpint(game->mode, ==, HUTCH_PATH_RO);
  g_assert_nonnull(rule_for(p, "/t/one"));
  g_assert_nonnull(rule_for(p, "/t/two"));
  g_assert_null(rule_for(p, "relative"));
  g_assert_nonnull(rule_for(p, "/home/u/.steam"));
  g_assert_cmpstr(p->name_base, ==, "steam-10");
  /* Outside a Steam launch: nothing. */
  g_autoptr(HutchPolicy) q = hutch_policy_new();
  hutch_launcher_apply(q, envp + 1, "/home/u");
  g_assert_cmpuint(q->paths->len, ==, 0);
  g_assert_null(q->name_base);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/launcher/app-id", test_app_id);
  g_test_add_func("/launcher/grants", test_grants);
  return g_test_run();
}
