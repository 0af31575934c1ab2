/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "env.h"
#include <string.h>

/* Each of these either hands the app a door back to the host session
 * (agents, buses, terminals) or lets it change how the loader behaves. */
static const char *const secret_keys[] = {
    "SSH_AUTH_SOCK",
    "SSH_AGENT_PID",
    "GPG_AGENT_INFO",
    "GNOME_KEYRING_CONTROL",
    "DBUS_SESSION_BUS_ADDRESS",
    "DBUS_SYSTEM_BUS_ADDRESS",
    "SESSION_MANAGER",
    "XDG_SESSION_COOKIE",
    "KRB5CCNAME",
    "LD_PRELOAD",
    "LD_LIBRARY_PATH",
    "LD_AUDIT",
    "LD_DEBUG",
    "LD_DEBUG_OUTPUT",
    "LD_PROFILE",
    "LD_ORIGIN_PATH",
    "LD_SHOW_AUXV",
    "LD_USE_LOAD_BIAS",
    "LD_DYNAMIC_WEAK",
    "LD_BIND_NOW",
    "LD_BIND_NOT",
    "GCONV_PATH",
    "GETCONF_DIR",
    "HOSTALIASES",
    "LOCALDOMAIN",
    "LOCPATH",
    "MALLOC_TRACE",
    "NIS_PATH",
    "NLSPATH",
    "RESOLV_HOST_CONF",
    "RES_OPTIONS",
    "TMPDIR",
    "TZDIR",
    "XAUTHORITY",
    "DISPLAY",
    "WAYLAND_DISPLAY",
    "WAYLAND_SOCKET",
    "PULSE_SERVER",
    "PULSE_COOKIE",
    "PULSE_CLIENTCONFIG",
    "PIPEWIRE_REMOTE",
    "TERMINFO_DIRS",
    "XDG_RUNTIME_DIR",
    "INVOCATION_ID",
    "JOURNAL_STREAM",
    "NOTIFY_SOCKET",
    "LISTEN_FDS",
    "LISTEN_PID",
    "LISTEN_FDNAMES",
    "MANAGERPID",
    "SYSTEMD_EXEC_PID",
    "TMUX",
    "TMUX_PANE",
    "STY",
    "WINDOWID",
    "KDE_FULL_SESSION",
    "AT_SPI_BUS_ADDRESS",
    "GIO_LAUNCHED_DESKTOP_FILE_PID",
    "MAIL",
    "OLDPWD",
    NULL,
};

gboolean
hutch_env_is_secret(const char *key)
{
  /* Every LD_ variable steers the dynamic loader; none is needed by an app. */
  if (g_str_has_prefix(key, "LD_"))
    return TRUE;
  return g_strv_contains(secret_keys, key);
}

static char *
key_of(const char *kv)
{
  const char *eq = strchr(kv, '=');
  return eq ? g_strndup(kv, eq - kv) : NULL;
}

/* The keys of LIST ("KEY" or "KEY=VALUE" items) as a set. */
static GHashTable *
key_set(GPtrArray *list)
{
  GHashTable *set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < list->len; i++) {
    char *key = key_of(list->pdata[i]);
    g_hash_table_add(set, key ? key : g_strdup(list->pdata[i]));
  }
  return set;
}

char **
hutch_env_apply_policy(char **env, const HutchPolicy *policy)
{
  g_autoptr(GHashTable) set = key_set(policy->env_set);
  g_autoptr(GHashTable) unset = key_set(policy->env_unset);
  GPtrArray *out = g_ptr_array_new();
  for (char **e = env; e && *e; e++) {
    g_autofree char *key = key_of(*e);
    if (key && (g_hash_table_contains(set, key) || g_hash_table_contains(unset, key)))
      g_free(*e);
    else
      g_ptr_array_add(out, *e);
  }
  g_free(env);
  /* One item per key: the profile loader keeps the last of each. */
  for (guint i = 0; i < policy->env_set->len; i++)
    g_ptr_array_add(out, g_strdup(policy->env_set->pdata[i]));
  g_ptr_array_add(out, NULL);
  return (char **)g_ptr_array_free(out, FALSE);
}

char **
hutch_env_build(char **host_env, const HutchPolicy *policy)
{
  g_autoptr(GHashTable) pass = key_set(policy->env_pass);
  g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *env = g_ptr_array_new();
  for (char **e = host_env; e && *e; e++) {
    g_autofree char *key = key_of(*e);
    if (!key || (hutch_env_is_secret(key) && !g_hash_table_contains(pass, key)))
      continue;
    /* The first of a key the host lists twice, as getenv(3) sees it. */
    if (g_hash_table_contains(seen, key))
      continue;
    g_hash_table_add(seen, g_steal_pointer(&key));
    g_ptr_array_add(env, g_strdup(*e));
  }
  g_ptr_array_add(env, NULL);
  return hutch_env_apply_policy((char **)g_ptr_array_free(env, FALSE), policy);
}
