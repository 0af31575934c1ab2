/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "launcher.h"
#include <string.h>

char *
hutch_launcher_steam_app_id(char **envp)
{
  const char *keys[] = {"SteamAppId", "STEAM_COMPAT_APP_ID"};
  for (gsize i = 0; i < G_N_ELEMENTS(keys); i++) {
    const char *id = g_environ_getenv(envp, keys[i]);
    if (id && *id && strspn(id, "0123456789") == strlen(id) && strlen(id) <= 12 &&
        !g_str_equal(id, "0"))
      return g_strdup(id);
  }
  return NULL;
}

/* What Steam's launch environment names, and how the game may use it:
 * its prefix and shader cache are its own to write; the game's files, the
 * client (overlay, runtime libraries) and the tools and libraries Steam
 * passes are read-only. Lists are colon-separated. */
static const struct {
  const char *var;
  HutchPathMode mode;
  gboolean list;
} steam_paths[] = {
    {"STEAM_COMPAT_DATA_PATH", HUTCH_PATH_RW, FALSE},
    {"STEAM_COMPAT_SHADER_PATH", HUTCH_PATH_RW, FALSE},
    {"STEAM_COMPAT_INSTALL_PATH", HUTCH_PATH_RO, FALSE},
    {"STEAM_COMPAT_CLIENT_INSTALL_PATH", HUTCH_PATH_RO, FALSE},
    {"STEAM_COMPAT_TOOL_PATHS", HUTCH_PATH_RO, TRUE},
    {"STEAM_COMPAT_LIBRARY_PATHS", HUTCH_PATH_RO, TRUE},
    {"STEAM_COMPAT_MOUNTS", HUTCH_PATH_RO, TRUE},
};

/* The client's own files a game talks to: ~/.steam (its links to the
 * client, and steam.pipe, a FIFO that a read-only mount still lets the game
 * write to) and the pid and path files. */
static const char *const steam_home_paths[] = {".steam", ".steampid", ".steampath"};

/* Steam's overlay (LD_PRELOAD) and the Steam Runtime's libraries
 * (LD_LIBRARY_PATH) live in the client's directories, granted above. */
static const char *const steam_loader_vars[] = {"LD_PRELOAD", "LD_LIBRARY_PATH"};

static void
grant(HutchPolicy *policy, HutchPathMode mode, const char *path, const char *var)
{
  if (!g_path_is_absolute(path))
    return;
  g_autofree char *origin = g_strdup_printf("%s (Steam launch)", var);
  /* Optional: Steam names paths it has not made yet. */
  hutch_policy_add_path(policy, mode, path, origin);
  HutchPathRule *rule = policy->paths->pdata[policy->paths->len - 1];
  rule->optional = TRUE;
}

void
hutch_launcher_apply(HutchPolicy *policy, char **envp, const char *home)
{
  g_autofree char *app_id = hutch_launcher_steam_app_id(envp);
  if (!app_id)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS(steam_paths); i++) {
    const char *value = g_environ_getenv(envp, steam_paths[i].var);
    if (!value || !*value)
      continue;
    g_auto(GStrv) items = steam_paths[i].list ? g_strsplit(value, ":", -1)
                                              : g_strdupv((char *[]){(char *)value, NULL});
    for (char **p = items; *p; p++)
      if (**p)
        grant(policy, steam_paths[i].mode, *p, steam_paths[i].var);
  }
  for (gsize i = 0; i < G_N_ELEMENTS(steam_home_paths); i++) {
    g_autofree char *path = g_build_filename(home, steam_home_paths[i], NULL);
    grant(policy, HUTCH_PATH_RO, path, "SteamAppId");
  }
  for (gsize i = 0; i < G_N_ELEMENTS(steam_loader_vars); i++)
    g_ptr_array_add(policy->env_pass, g_strdup(steam_loader_vars[i]));
  g_free(policy->name_base);
  policy->name_base = g_strconcat("steam-", app_id, NULL);
  /* Steam's reaper waits for every process its game leaves behind, and the
   * id holder, made here, would be one that lives until logout: Steam would
   * show the game running forever. A holder made by another launch is
   * joined as usual. */
  g_free(policy->no_idholder);
  policy->no_idholder = g_strdup("a Steam launch does not start one (Steam would wait for it)");
}
