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

static gboolean
key_listed(GPtrArray *keys, const char *key)
{
  for (guint i = 0; i < keys->len; i++)
    if (g_str_equal(keys->pdata[i], key))
      return TRUE;
  return FALSE;
}

char **
hutch_env_build(char **host_env, const HutchPolicy *policy)
{
  char **env = NULL;
  for (char **e = host_env; e && *e; e++) {
    const char *eq = strchr(*e, '=');
    if (!eq)
      continue;
    g_autofree char *key = g_strndup(*e, eq - *e);
    if (hutch_env_is_secret(key) && !key_listed(policy->env_pass, key))
      continue;
    if (key_listed(policy->env_unset, key))
      continue;
    env = g_environ_setenv(env, key, eq + 1, TRUE);
  }
  for (guint i = 0; i < policy->env_set->len; i++) {
    const char *kv = policy->env_set->pdata[i];
    const char *eq = strchr(kv, '=');
    g_autofree char *key = g_strndup(kv, eq - kv);
    env = g_environ_setenv(env, key, eq + 1, TRUE);
  }
  if (!env)
    env = g_new0(char *, 1);
  return env;
}
