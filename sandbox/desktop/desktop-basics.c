/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What every GUI app reads besides its display (granted with x11 or
 * wayland): the user's fonts, icon and cursor themes and toolkit settings,
 * read-only, and the session variables toolkits look at. System fonts and
 * themes are in /usr, /etc/fonts and /var/cache/fontconfig already. */
#include "error.h"
#include "desktop.h"
#include "util.h"
#include <string.h>

#define WHY "desktop basics"

typedef enum { IN_HOME, IN_CONFIG, IN_DATA, IN_CACHE } Base;

static const struct {
  Base base;
  const char *path;
} user_paths[] = {
    {IN_DATA, "fonts"},
    {IN_HOME, ".fonts"},
    {IN_CONFIG, "fontconfig"},
    {IN_CACHE, "fontconfig"},
    {IN_DATA, "icons"},
    {IN_HOME, ".icons"},
    {IN_DATA, "themes"},
    {IN_HOME, ".themes"},
    {IN_CONFIG, "gtk-3.0/settings.ini"},
    {IN_CONFIG, "gtk-4.0/settings.ini"},
    {IN_HOME, ".gtkrc-2.0"},
    {IN_CONFIG, "Trolltech.conf"},
    {IN_CONFIG, "kdeglobals"},
    {IN_CONFIG, "qt5ct"},
    {IN_CONFIG, "qt6ct"},
    {IN_HOME, ".Xresources"},
};

static char *
user_path(HutchPlan *plan, Base base, const char *rel)
{
  switch (base) {
  case IN_HOME:
    return g_build_filename(plan->home, rel, NULL);
  case IN_CONFIG:
    return g_build_filename(g_get_user_config_dir(), rel, NULL);
  case IN_DATA:
    return g_build_filename(g_get_user_data_dir(), rel, NULL);
  case IN_CACHE:
    return g_build_filename(g_get_user_cache_dir(), rel, NULL);
  }
  return NULL;
}

/* The user's own rules (and a home that is already visible) win over these
 * defaults: a path the policy says anything about is left to the policy. */
static gboolean
covered_by_policy(HutchPlan *plan, const char *path)
{
  HutchHomeMode home = plan->policy->home;
  if ((home == HUTCH_HOME_RO || home == HUTCH_HOME_RW) && hutch_path_is_under(path, plan->home))
    return TRUE;
  GPtrArray *rules = plan->policy->paths;
  for (guint i = 0; i < rules->len; i++) {
    const HutchPathRule *rule = rules->pdata[i];
    const char *expanded = hutch_plan_rule_path(plan, rule);
    if (expanded && (hutch_path_is_under(path, expanded) || hutch_path_is_under(expanded, path)))
      return TRUE;
  }
  return FALSE;
}

static gboolean
plan_user_paths(HutchPlan *plan, GError **error)
{
  for (gsize i = 0; i < G_N_ELEMENTS(user_paths); i++) {
    g_autofree char *path = user_path(plan, user_paths[i].base, user_paths[i].path);
    if (!g_file_test(path, G_FILE_TEST_EXISTS) || covered_by_policy(plan, path))
      continue;
    if (!hutch_plan_bind(plan, path, path, HUTCH_OPF_RDONLY | HUTCH_OPF_OPTIONAL, WHY, error))
      return FALSE;
  }
  return TRUE;
}

static void
setenv_default(HutchPlan *plan, const char *key, const char *value)
{
  if (!hutch_plan_getenv(plan, key))
    hutch_plan_setenv(plan, key, value);
}

/* With Wayland granted, the toolkits that would still pick X11 first are
 * told to draw natively (X11 stays their second choice only when it is
 * granted too); with X11 alone, a Wayland preference the user's session
 * exported must not send them looking for a compositor they cannot reach.
 * GTK follows WAYLAND_DISPLAY by itself. A profile's env= wins over these. */
static const struct {
  const char *key;
  const char *wayland_only, *wayland_first, *x11_only;
} toolkit_env[] = {
    {"QT_QPA_PLATFORM", "wayland", "wayland;xcb", "xcb"},
    {"SDL_VIDEODRIVER", "wayland", "wayland,x11", "x11"},
    {"MOZ_ENABLE_WAYLAND", "1", "1", NULL},
    {"ELECTRON_OZONE_PLATFORM_HINT", "wayland", "auto", "x11"},
    {"GDK_BACKEND", "wayland", "wayland,x11", "x11"},
    {"CLUTTER_BACKEND", "wayland", "wayland", "x11"},
};

static void
plan_toolkit_env(HutchPlan *plan, gboolean wayland, gboolean x11)
{
  for (gsize i = 0; i < G_N_ELEMENTS(toolkit_env); i++) {
    const char *value = !wayland ? toolkit_env[i].x11_only
                        : x11    ? toolkit_env[i].wayland_first
                                 : toolkit_env[i].wayland_only;
    if (value)
      hutch_plan_setenv(plan, toolkit_env[i].key, value);
    else
      hutch_plan_unsetenv(plan, toolkit_env[i].key);
  }
}

static void
plan_session_env(HutchPlan *plan)
{
  gboolean wayland = hutch_policy_has(plan->policy, HUTCH_PERM_WAYLAND);
  gboolean x11 = hutch_policy_has(plan->policy, HUTCH_PERM_X11);
  /* Toolkits pick their backend from this; a Wayland host session with only
   * x11 granted must not send them looking for a compositor. */
  hutch_plan_setenv(plan, "XDG_SESSION_TYPE", wayland ? "wayland" : "x11");
  plan_toolkit_env(plan, wayland, x11);
  setenv_default(plan, "XDG_DATA_DIRS", "/usr/local/share:/usr/share");
  setenv_default(plan, "XDG_CONFIG_DIRS", "/etc/xdg");
  /* The accessibility bus is a D-Bus service the sandbox cannot reach;
   * without this GTK warns about it at every start. */
  setenv_default(plan, "NO_AT_BRIDGE", "1");
  const char *lang = hutch_plan_getenv(plan, "LANG");
  hutch_plan_note(plan,
                  "desktop basics: user fonts, themes and toolkit settings read-only; "
                  "locale %s",
                  lang ? lang : "(LANG unset)");
}

gboolean
hutch_desktop_basics_plan(HutchPlan *plan, GError **error)
{
  if (!hutch_policy_has(plan->policy, HUTCH_PERM_X11) &&
      !hutch_policy_has(plan->policy, HUTCH_PERM_WAYLAND))
    return TRUE;
  if (!plan_user_paths(plan, error))
    return FALSE;
  plan_session_env(plan);
  return TRUE;
}
