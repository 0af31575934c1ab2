/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "desktop-entries.h"
#include "error.h"
#include "profile.h"
#include "suggest.h"
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#define GROUP "Desktop Entry"
#define ACTION_PREFIX "Desktop Action "
#define DBUS_MARK "# " HUTCH_DESKTOP_MARK

void
hutch_desktop_app_free(HutchDesktopApp *app)
{
  if (!app)
    return;
  g_free(app->id);
  g_free(app->path);
  g_free(app->profile);
  g_free(app->name);
  g_free(app);
}

char *
hutch_desktop_user_dir(void)
{
  return g_build_filename(g_get_user_data_dir(), "applications", NULL);
}

/* The name of the program an Exec line starts: its first word's base name,
 * past an `env` and its VAR=value words. */
static char *
exec_program(const char *exec)
{
  g_auto(GStrv) argv = NULL;
  if (!exec || !g_shell_parse_argv(exec, NULL, &argv, NULL))
    return NULL;
  char **a = argv;
  g_autofree char *first = *a ? g_path_get_basename(*a) : NULL;
  if (first && g_str_equal(first, "env"))
    for (a++; *a && strchr(*a, '=') && **a != '-'; a++)
      ;
  return *a ? g_path_get_basename(*a) : NULL;
}

/* A profile for PROGRAM in the search path; `default` is every command's,
 * not an app's. */
static gboolean
has_profile(char **search, const char *program)
{
  if (!program || g_str_equal(program, "default") || !hutch_profile_name_valid(program))
    return FALSE;
  g_autofree char *file = g_strconcat(program, ".profile", NULL);
  g_autofree char *found = hutch_profile_find_file(search, NULL, file);
  return found != NULL;
}

static HutchDesktopApp *
app_of(char **search, const char *dir, const char *file)
{
  g_autofree char *path = g_build_filename(dir, file, NULL);
  g_autoptr(GKeyFile) kf = g_key_file_new();
  if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, NULL))
    return NULL;
  g_autofree char *type = g_key_file_get_string(kf, GROUP, "Type", NULL);
  if (g_strcmp0(type, "Application") != 0 || g_key_file_get_boolean(kf, GROUP, "Hidden", NULL))
    return NULL;
  g_autofree char *exec = g_key_file_get_string(kf, GROUP, "Exec", NULL);
  g_autofree char *program = exec_program(exec);
  if (!has_profile(search, program))
    return NULL;
  HutchDesktopApp *app = g_new0(HutchDesktopApp, 1);
  app->id = g_strdup(file);
  app->path = g_steal_pointer(&path);
  app->profile = g_steal_pointer(&program);
  app->name = g_key_file_get_locale_string(kf, GROUP, "Name", NULL, NULL);
  return app;
}

GKeyFile *
hutch_desktop_entry_of(const char *program, char **path)
{
  g_autofree char *id = g_strconcat(program, ".desktop", NULL);
  for (const char *const *d = g_get_system_data_dirs(); *d; d++) {
    g_autofree char *dir = g_build_filename(*d, "applications", NULL);
    g_autoptr(GDir) gdir = g_dir_open(dir, 0, NULL);
    const char *file;
    while (gdir && (file = g_dir_read_name(gdir))) {
      if (!g_str_has_suffix(file, ".desktop"))
        continue;
      g_autofree char *p = g_build_filename(dir, file, NULL);
      g_autoptr(GKeyFile) kf = g_key_file_new();
      if (!g_key_file_load_from_file(kf, p, G_KEY_FILE_NONE, NULL))
        continue;
      g_autofree char *exec = g_key_file_get_string(kf, GROUP, "Exec", NULL);
      g_autofree char *prog = exec_program(exec);
      if (g_str_equal(file, id) || g_strcmp0(prog, program) == 0) {
        *path = g_steal_pointer(&p);
        return g_steal_pointer(&kf);
      }
    }
  }
  return NULL;
}

static gint
by_id(gconstpointer a, gconstpointer b)
{
  return strcmp((*(HutchDesktopApp *const *)a)->id, (*(HutchDesktopApp *const *)b)->id);
}

GPtrArray *
hutch_desktop_apps(void)
{
  GPtrArray *apps = g_ptr_array_new_with_free_func((GDestroyNotify)hutch_desktop_app_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) search = hutch_profile_search_path();
  /* The first data dir that has an id is the one the menu uses. */
  for (const char *const *d = g_get_system_data_dirs(); *d; d++) {
    g_autofree char *dir = g_build_filename(*d, "applications", NULL);
    g_autoptr(GDir) gdir = g_dir_open(dir, 0, NULL);
    const char *file;
    while (gdir && (file = g_dir_read_name(gdir))) {
      if (!g_str_has_suffix(file, ".desktop") || g_hash_table_contains(seen, file))
        continue;
      g_hash_table_add(seen, g_strdup(file));
      HutchDesktopApp *app = app_of(search, dir, file);
      if (app)
        g_ptr_array_add(apps, app);
    }
  }
  g_ptr_array_sort(apps, by_id);
  return apps;
}

gboolean
hutch_desktop_find(GPtrArray *apps, const char *arg, GPtrArray *out, GError **error)
{
  g_autofree char *id =
      g_str_has_suffix(arg, ".desktop") ? g_strdup(arg) : g_strconcat(arg, ".desktop", NULL);
  guint before = out->len;
  for (guint i = 0; i < apps->len; i++) {
    HutchDesktopApp *app = apps->pdata[i];
    if (g_str_equal(app->profile, arg) || g_str_equal(app->id, id))
      g_ptr_array_add(out, app);
  }
  if (out->len > before)
    return TRUE;
  g_autoptr(GPtrArray) names = g_ptr_array_new();
  for (guint i = 0; i < apps->len; i++)
    g_ptr_array_add(names, ((HutchDesktopApp *)apps->pdata[i])->profile);
  g_ptr_array_add(names, NULL);
  g_autofree char *hint = apps->len
                              ? hutch_did_you_mean_or_list(arg, (const char *const *)names->pdata)
                              : g_strdup(" (no installed app has a profile)");
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_NOT_FOUND,
              "desktop: no installed app with a profile is called '%s'%s", arg, hint);
  return FALSE;
}

/* An Exec value that runs EXEC through hutch. The words hutch adds need
 * no quoting but hutch's own path, quoted as the spec asks. */
static char *
through_hutch(const char *exec, const char *profile, const char *hutch_bin)
{
  g_autoptr(GString) bin = g_string_new(NULL);
  gboolean quote = strpbrk(hutch_bin, " \t\n\"'\\><~|&;$*?#()`") != NULL;
  if (quote) {
    g_string_append_c(bin, '"');
    for (const char *p = hutch_bin; *p; p++) {
      if (strchr("\"`$\\", *p))
        g_string_append_c(bin, '\\');
      g_string_append_c(bin, *p);
    }
    g_string_append_c(bin, '"');
  } else {
    g_string_append(bin, hutch_bin);
  }
  return g_strdup_printf("%s run --join --profile %s -- %s", bin->str, profile, exec);
}

char *
hutch_desktop_entry_text(const char *path, const char *profile, const char *hutch_bin,
                         GError **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new();
  if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_KEEP_COMMENTS | G_KEY_FILE_KEEP_TRANSLATIONS,
                                 error)) {
    g_prefix_error(error, "desktop: %s: ", path);
    return NULL;
  }
  g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
  for (char **g = groups; *g; g++) {
    if (!g_str_equal(*g, GROUP) && !g_str_has_prefix(*g, ACTION_PREFIX))
      continue;
    /* The raw value: field codes and quoting stay exactly as written. */
    g_autofree char *exec = g_key_file_get_value(kf, *g, "Exec", NULL);
    if (!exec)
      continue;
    g_autofree char *wrapped = through_hutch(exec, profile, hutch_bin);
    g_key_file_set_value(kf, *g, "Exec", wrapped);
  }
  /* D-Bus activation would start the app from its service file, not from
   * Exec; the menu then uses Exec. */
  if (g_key_file_has_key(kf, GROUP, "DBusActivatable", NULL))
    g_key_file_set_boolean(kf, GROUP, "DBusActivatable", FALSE);
  g_key_file_set_string(kf, GROUP, HUTCH_DESKTOP_MARK, path);
  return g_key_file_to_data(kf, NULL, error);
}

static char *
user_file(const HutchDesktopApp *app)
{
  g_autofree char *dir = hutch_desktop_user_dir();
  return g_build_filename(dir, app->id, NULL);
}

/* A D-Bus activatable app's service: the same name as its entry. */
static char *
service_name(const HutchDesktopApp *app)
{
  g_autofree char *base = g_strndup(app->id, strlen(app->id) - strlen(".desktop"));
  return g_strconcat(base, ".service", NULL);
}

static char *
system_service(const HutchDesktopApp *app)
{
  g_autofree char *name = service_name(app);
  for (const char *const *d = g_get_system_data_dirs(); *d; d++) {
    char *path = g_build_filename(*d, "dbus-1", "services", name, NULL);
    if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
      return path;
    g_free(path);
  }
  return NULL;
}

static char *
user_service(const HutchDesktopApp *app)
{
  g_autofree char *name = service_name(app);
  return g_build_filename(g_get_user_data_dir(), "dbus-1", "services", name, NULL);
}

static gboolean
marked(const char *path, const char *mark)
{
  g_autofree char *text = NULL;
  return g_file_get_contents(path, &text, NULL, NULL) && strstr(text, mark);
}

HutchDesktopStatus
hutch_desktop_status(const HutchDesktopApp *app)
{
  g_autofree char *path = user_file(app);
  if (!g_file_test(path, G_FILE_TEST_EXISTS) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK))
    return HUTCH_DESKTOP_OFF;
  g_autofree char *have = NULL;
  if (g_file_test(path, G_FILE_TEST_IS_SYMLINK) || !g_file_get_contents(path, &have, NULL, NULL) ||
      !strstr(have, HUTCH_DESKTOP_MARK "="))
    return HUTCH_DESKTOP_USERS;
  /* Ours; stale when the system entry has changed since (a package update):
   * hutch desktop enable writes it again. */
  g_autoptr(GKeyFile) kf = g_key_file_new();
  g_autofree char *exec = NULL;
  if (g_key_file_load_from_data(kf, have, -1, G_KEY_FILE_NONE, NULL))
    exec = g_key_file_get_value(kf, GROUP, "Exec", NULL);
  g_autofree char *bin = NULL;
  if (exec) {
    g_auto(GStrv) argv = NULL;
    if (g_shell_parse_argv(exec, NULL, &argv, NULL) && argv[0])
      bin = g_strdup(argv[0]);
  }
  g_autofree char *want = bin ? hutch_desktop_entry_text(app->path, app->profile, bin, NULL) : NULL;
  return want && g_str_equal(want, have) ? HUTCH_DESKTOP_ON : HUTCH_DESKTOP_STALE;
}

const char *
hutch_desktop_status_name(HutchDesktopStatus status)
{
  switch (status) {
  case HUTCH_DESKTOP_OFF:
    return "off";
  case HUTCH_DESKTOP_ON:
    return "on";
  case HUTCH_DESKTOP_STALE:
    return "on (out of date: enable again)";
  case HUTCH_DESKTOP_USERS:
    return "off (your own entry of that name)";
  }
  return "?";
}

static gboolean
write_file(const char *path, const char *text, GError **error)
{
  g_autofree char *dir = g_path_get_dirname(path);
  if (g_mkdir_with_parents(dir, 0755) < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_FAILED, "desktop: cannot create %s: %s", dir,
                g_strerror(errno));
    return FALSE;
  }
  if (g_file_set_contents_full(path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
    return TRUE;
  g_prefix_error(error, "desktop: ");
  return FALSE;
}

/* The app's own D-Bus service, started by the bus instead of the menu: a
 * user service of the same name, which the bus prefers, runs it through
 * hutch too. */
static gboolean
enable_service(const HutchDesktopApp *app, const char *hutch_bin, GError **error)
{
  g_autofree char *sys = system_service(app);
  if (!sys)
    return TRUE;
  g_autofree char *path = user_service(app);
  if (g_file_test(path, G_FILE_TEST_EXISTS) && !marked(path, DBUS_MARK)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_FAILED,
                "desktop: %s is your own D-Bus service file; hutch leaves it alone (remove it "
                "to let hutch write one)",
                path);
    return FALSE;
  }
  g_autoptr(GKeyFile) kf = g_key_file_new();
  if (!g_key_file_load_from_file(kf, sys, G_KEY_FILE_NONE, error)) {
    g_prefix_error(error, "desktop: %s: ", sys);
    return FALSE;
  }
  g_autofree char *exec = g_key_file_get_value(kf, "D-BUS Service", "Exec", NULL);
  if (!exec)
    return TRUE;
  g_autofree char *wrapped = through_hutch(exec, app->profile, hutch_bin);
  g_key_file_set_value(kf, "D-BUS Service", "Exec", wrapped);
  g_autofree char *body = g_key_file_to_data(kf, NULL, error);
  g_autofree char *text = g_strconcat(DBUS_MARK "=", sys, "\n", body, NULL);
  return write_file(path, text, error);
}

gboolean
hutch_desktop_enable(const HutchDesktopApp *app, const char *hutch_bin, GError **error)
{
  g_autofree char *path = user_file(app);
  if (hutch_desktop_status(app) == HUTCH_DESKTOP_USERS) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_FAILED,
                "desktop: %s is your own entry; hutch leaves it alone (remove it to let hutch "
                "write one)",
                path);
    return FALSE;
  }
  g_autofree char *text = hutch_desktop_entry_text(app->path, app->profile, hutch_bin, error);
  return text && write_file(path, text, error) && enable_service(app, hutch_bin, error);
}

static gboolean
remove_ours(const char *path, const char *mark, GError **error)
{
  if (!g_file_test(path, G_FILE_TEST_EXISTS) || !marked(path, mark))
    return TRUE;
  if (g_unlink(path) == 0 || errno == ENOENT)
    return TRUE;
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_FAILED, "desktop: cannot remove %s: %s", path,
              g_strerror(errno));
  return FALSE;
}

gboolean
hutch_desktop_disable(const HutchDesktopApp *app, GError **error)
{
  g_autofree char *path = user_file(app);
  g_autofree char *service = user_service(app);
  return remove_ours(path, HUTCH_DESKTOP_MARK "=", error) && remove_ours(service, DBUS_MARK, error);
}
