/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch desktop enable APP...|--all, disable APP...|--all, list: the app
 * menu through hutch (profile/desktop-entries.h says how). */
#include "cmd-common.h"
#include "commands.h"
#include "desktop-entries.h"
#include "error.h"
#include <stdio.h>

/* The menu's cache of MIME types and entries, where the tool is installed;
 * menus that watch the directory need nothing. */
static void
refresh_database(void)
{
  g_autofree char *tool = g_find_program_in_path("update-desktop-database");
  if (!tool)
    return;
  g_autofree char *dir = hutch_desktop_user_dir();
  char *argv[] = {tool, "-q", dir, NULL};
  g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
               NULL, NULL, NULL, NULL, NULL);
}

static int
list(GPtrArray *apps)
{
  printf("%-16s %-34s %-8s %s\n", "PROFILE", "ENTRY", "MENU", "NAME");
  for (guint i = 0; i < apps->len; i++) {
    const HutchDesktopApp *app = apps->pdata[i];
    printf("%-16s %-34s %-8s %s\n", app->profile, app->id,
           hutch_desktop_status_name(hutch_desktop_status(app)), app->name ? app->name : "");
  }
  return 0;
}

/* The apps ARGV names, or all of them with ALL. */
static GPtrArray *
chosen(GPtrArray *apps, int argc, char **argv, gboolean all, GError **error)
{
  if (all == (argc > 2)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "desktop %s: name the apps (see 'hutch desktop list'), or give --all", argv[1]);
    return NULL;
  }
  GPtrArray *out = g_ptr_array_new();
  for (guint i = 0; all && i < apps->len; i++)
    g_ptr_array_add(out, apps->pdata[i]);
  for (int i = 2; i < argc; i++) {
    if (!hutch_desktop_find(apps, argv[i], out, error)) {
      g_ptr_array_unref(out);
      return NULL;
    }
  }
  return out;
}

static int
change(GPtrArray *apps, int argc, char **argv, gboolean all, gboolean enable, GError **error)
{
  g_autoptr(GPtrArray) which = chosen(apps, argc, argv, all, error);
  if (!which)
    return -1;
  g_autofree char *self = g_file_read_link("/proc/self/exe", error);
  if (!self)
    return -1;
  int failed = 0;
  for (guint i = 0; i < which->len; i++) {
    const HutchDesktopApp *app = which->pdata[i];
    g_autoptr(GError) e = NULL;
    /* With --all, the user's own entries are skipped, not an error. */
    if (all && hutch_desktop_status(app) == HUTCH_DESKTOP_USERS) {
      printf("%s: skipped (your own entry %s)\n", app->profile, app->id);
      continue;
    }
    gboolean ok = enable ? hutch_desktop_enable(app, self, &e) : hutch_desktop_disable(app, &e);
    if (ok) {
      printf("%s: %s (%s)\n", app->profile,
             enable ? "runs through hutch from the menu" : "as installed", app->id);
    } else {
      hutch_print_error(e);
      failed++;
    }
  }
  refresh_database();
  return failed ? HUTCH_EXIT_FAILED : 0;
}

int
hutch_cmd_desktop(int argc, char **argv, GError **error)
{
  gboolean all = FALSE;
  GOptionEntry entries[] = {
      {"all", 0, 0, G_OPTION_ARG_NONE, &all, "Every installed app that has a profile", NULL},
      {NULL},
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("enable|disable APP...|--all, or list");
  g_option_context_set_summary(ctx, "Make installed apps that have a profile start through hutch "
                                    "from the app menu (enable), as installed (disable), or see "
                                    "which do (list).");
  g_option_context_add_main_entries(ctx, entries, NULL);
  if (!hutch_cmd_parse_context(ctx, &argc, &argv, error))
    return -1;
  const char *verb = argc > 1 ? argv[1] : "";
  g_autoptr(GPtrArray) apps = hutch_desktop_apps();
  if (g_str_equal(verb, "list") && argc == 2 && !all)
    return list(apps);
  if (g_str_equal(verb, "enable") || g_str_equal(verb, "disable"))
    return change(apps, argc, argv, all, g_str_equal(verb, "enable"), error);
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
              "usage: hutch desktop enable APP...|--all | disable APP...|--all | list");
  return -1;
}
