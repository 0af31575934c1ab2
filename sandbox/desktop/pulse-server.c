/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libpulse's rules, as far as a local client needs them:
 * - settings come from $PULSE_CLIENTCONFIG alone when it is set, else from
 *   /etc/pulse/client.conf, /etc/pulse/client.conf.d/ *.conf and then
 *   $XDG_CONFIG_HOME/pulse/client.conf, later files overriding earlier;
 * - $PULSE_SERVER and $PULSE_COOKIE override default-server and
 *   cookie-file;
 * - a server setting is a space-separated list tried in order: "unix:PATH"
 *   or "/PATH" is a local socket, "{MACHINE-ID}ADDRESS" applies only on
 *   that machine, anything else (tcp:, a host name) is remote;
 * - with no setting, $XDG_RUNTIME_DIR/pulse/native and then the system
 *   daemon's /run/pulse/native;
 * - the cookie is cookie-file, else $XDG_CONFIG_HOME/pulse/cookie, else
 *   ~/.pulse-cookie. */
#include "pulse-server.h"
#include "file-read.h"
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static void
read_client_conf(const char *path, char **server, char **cookie_file)
{
  g_autofree char *text = NULL;
  /* In the user's home, which an app with a writable home may have
   * replaced by a FIFO: read without blocking (file-read.h). */
  if (!hutch_read_file(path, 1 << 20, &text, NULL, NULL))
    return;
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (char **l = lines; *l; l++) {
    char *line = g_strstrip(*l);
    if (!*line || *line == '#' || *line == ';')
      continue;
    char *eq = strchr(line, '=');
    if (!eq)
      continue;
    *eq = '\0';
    char *key = g_strstrip(line), *value = g_strstrip(eq + 1);
    char **slot = g_str_equal(key, "default-server") ? server
                  : g_str_equal(key, "cookie-file")  ? cookie_file
                                                     : NULL;
    if (slot) {
      g_free(*slot);
      *slot = *value ? g_strdup(value) : NULL;
    }
  }
}

static int
compare_paths(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
read_conf_dir(const char *dir, char **server, char **cookie_file)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  if (!d)
    return;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  for (const char *n; (n = g_dir_read_name(d));)
    if (g_str_has_suffix(n, ".conf"))
      g_ptr_array_add(names, g_build_filename(dir, n, NULL));
  g_ptr_array_sort(names, compare_paths);
  for (guint i = 0; i < names->len; i++)
    read_client_conf(names->pdata[i], server, cookie_file);
}

static void
read_settings(char **server, char **cookie_file)
{
  const char *env_conf = g_getenv("PULSE_CLIENTCONFIG");
  if (env_conf && *env_conf) {
    read_client_conf(env_conf, server, cookie_file);
  } else {
    read_client_conf("/etc/pulse/client.conf", server, cookie_file);
    read_conf_dir("/etc/pulse/client.conf.d", server, cookie_file);
    g_autofree char *user = g_build_filename(g_get_user_config_dir(), "pulse", "client.conf", NULL);
    read_client_conf(user, server, cookie_file);
  }
  const char *env_server = g_getenv("PULSE_SERVER");
  if (env_server && *env_server) {
    g_free(*server);
    *server = g_strdup(env_server);
  }
  const char *env_cookie = g_getenv("PULSE_COOKIE");
  if (env_cookie && *env_cookie) {
    g_free(*cookie_file);
    *cookie_file = g_strdup(env_cookie);
  }
}

static gboolean
on_this_machine(const char *id)
{
  g_autofree char *mine = NULL;
  if (!g_file_get_contents("/etc/machine-id", &mine, NULL, NULL) &&
      !g_file_get_contents("/var/lib/dbus/machine-id", &mine, NULL, NULL))
    return FALSE;
  return g_str_equal(g_strstrip(mine), id);
}

/* One entry of a server list: its socket path, or NULL for a remote one. */
static const char *
local_socket(const char *entry)
{
  if (g_str_has_prefix(entry, "unix:"))
    return entry + 5;
  return entry[0] == '/' ? entry : NULL;
}

void
hutch_pulse_server_candidates(char ***servers, char **remote, char **cookie_file)
{
  g_autofree char *setting = NULL;
  *cookie_file = NULL;
  *remote = NULL;
  read_settings(&setting, cookie_file);
  GPtrArray *list = g_ptr_array_new();
  if (setting) {
    g_auto(GStrv) entries = g_strsplit_set(setting, " \t", -1);
    for (char **e = entries; *e; e++) {
      const char *entry = *e;
      if (!*entry)
        continue;
      if (entry[0] == '{') {
        const char *close = strchr(entry, '}');
        g_autofree char *id = close ? g_strndup(entry + 1, close - entry - 1) : NULL;
        if (!id || !on_this_machine(id))
          continue;
        entry = close + 1;
      }
      const char *path = local_socket(entry);
      if (path)
        g_ptr_array_add(list, g_strdup(path));
      else if (!*remote)
        *remote = g_strdup(entry);
    }
  } else {
    g_ptr_array_add(list, g_build_filename(g_get_user_runtime_dir(), "pulse", "native", NULL));
    g_ptr_array_add(list, g_strdup("/run/pulse/native"));
  }
  g_ptr_array_add(list, NULL);
  *servers = (char **)g_ptr_array_free(list, FALSE);
}

static gboolean
read_cookie_file(const char *path, guint8 cookie[HUTCH_PULSE_COOKIE_LENGTH])
{
  g_autofree char *data = NULL;
  gsize len = 0;
  if (!hutch_read_file(path, 64 * 1024, &data, &len, NULL) || len < HUTCH_PULSE_COOKIE_LENGTH)
    return FALSE;
  memcpy(cookie, data, HUTCH_PULSE_COOKIE_LENGTH);
  return TRUE;
}

char **
hutch_pulse_cookie_files(const char *cookie_file)
{
  GPtrArray *files = g_ptr_array_new();
  if (cookie_file)
    g_ptr_array_add(files, g_strdup(cookie_file));
  g_ptr_array_add(files, g_build_filename(g_get_user_config_dir(), "pulse", "cookie", NULL));
  g_ptr_array_add(files, g_build_filename(g_get_home_dir(), ".pulse-cookie", NULL));
  g_ptr_array_add(files, NULL);
  return (char **)g_ptr_array_free(files, FALSE);
}

void
hutch_pulse_read_cookie(const char *cookie_file, guint8 cookie[HUTCH_PULSE_COOKIE_LENGTH])
{
  g_auto(GStrv) files = hutch_pulse_cookie_files(cookie_file);
  for (char **f = files; *f; f++)
    if (read_cookie_file(*f, cookie))
      return;
  memset(cookie, 0, HUTCH_PULSE_COOKIE_LENGTH);
}
