/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch __complete WORD...: the candidates for the last WORD of a command
 * line (the words after `hutch`), one per line, for the bash, zsh and fish
 * completion scripts (share/completion/), which hold no lists of their
 * own: commands from main.c's table, each command's options from its
 * option table (through the help GOption makes of it), values from the
 * policy's name tables, and the profiles, running sandboxes, images and
 * menu apps there are. */
#include "cmd-common.h"
#include "commands.h"
#include "desktop-entries.h"
#include "image.h"
#include "policy.h"
#include "profile-keys.h"
#include "profile.h"
#include "state.h"
#include <stdio.h>
#include <string.h>

static void
emit(const char *word, const char *prefix)
{
  if (g_str_has_prefix(word, prefix))
    printf("%s\n", word);
}

static void
emit_all(const char *const *words, const char *prefix)
{
  for (const char *const *w = words; w && *w; w++)
    emit(*w, prefix);
}

static void
emit_profiles(const char *prefix)
{
  g_auto(GStrv) search = hutch_profile_search_path();
  g_auto(GStrv) names = hutch_profile_names(search);
  emit_all((const char *const *)names, prefix);
}

static void
emit_sandboxes(const char *prefix)
{
  g_autoptr(GPtrArray) states = hutch_state_list();
  for (guint i = 0; i < states->len; i++)
    emit(((HutchState *)states->pdata[i])->name, prefix);
}

static void
emit_images(const char *prefix)
{
  g_autofree char *dir = hutch_images_dir();
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name(d)))
    if (name[0] != '.' && !g_str_has_suffix(name, ".partial"))
      emit(name, prefix);
}

static void
emit_menu_apps(const char *prefix)
{
  g_autoptr(GPtrArray) apps = hutch_desktop_apps();
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < apps->len; i++) {
    HutchDesktopApp *app = apps->pdata[i];
    if (g_hash_table_add(seen, app->profile))
      emit(app->profile, prefix);
  }
}

static void
emit_setting(const char *setting, const char *prefix)
{
  g_autofree const char **names = hutch_policy_value_names(setting);
  emit_all(names, prefix);
}

/* The values an option of `hutch run` (a profile key's twin, or one of
 * run's own) takes. */
static gboolean
emit_option_value(const char *option, const char *prefix)
{
  if (g_str_equal(option, "--profile")) {
    emit_profiles(prefix);
    return TRUE;
  }
  const HutchProfileKey *key = hutch_profile_key_by_flag(option);
  if (!key || !key->metavar)
    return FALSE;
  g_autofree char *id = g_strconcat(key->section, " ", key->key, NULL);
  static const struct {
    const char *key, *setting;
  } values[] = {
      {"Permissions allow", "perm"}, {"Permissions deny", "perm"},
      {"Filesystem home", "home"},   {"Network mode", "net"},
      {"Permissions x11", "x11"},    {"Permissions wayland", "wayland"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(values); i++)
    if (g_str_equal(values[i].key, id)) {
      emit_setting(values[i].setting, prefix);
      return TRUE;
    }
  if (g_str_equal(id, "Rootfs image"))
    emit_images(prefix);
  else if (g_str_equal(id, "Rootfs mode")) {
    emit("host", prefix);
    emit("overlay", prefix);
  }
  /* Other values are free text (paths, numbers): the shell completes them. */
  return TRUE;
}

/* The positional words a command takes, by position after the command. */
static void
emit_positional(const char *cmd, int position, char **words, const char *prefix)
{
  static const char *const lifecycle[] = {"info", "stop", "freeze", "thaw", "enter", "log", NULL};
  if (position == 1 && g_strv_contains(lifecycle, cmd))
    emit_sandboxes(prefix);
  else if (position == 1 && g_str_equal(cmd, "destroy"))
    emit_images(prefix);
  else if (position == 1 && g_str_equal(cmd, "profile"))
    emit_all((const char *const[]){"list", "show", "check", NULL}, prefix);
  else if (position >= 2 && g_str_equal(cmd, "profile") &&
           (g_str_equal(words[1], "show") || g_str_equal(words[1], "check")))
    emit_profiles(prefix);
  else if (position == 1 && g_str_equal(cmd, "desktop"))
    emit_all((const char *const[]){"enable", "disable", "list", NULL}, prefix);
  else if (position >= 2 && g_str_equal(cmd, "desktop") &&
           (g_str_equal(words[1], "enable") || g_str_equal(words[1], "disable")))
    emit_menu_apps(prefix);
  else if (position == 1 && g_str_equal(cmd, "homes"))
    emit_all((const char *const[]){"list", "reset", "remove", NULL}, prefix);
  else if (position == 1 && g_str_equal(cmd, "steam"))
    emit_all((const char *const[]){"install-tool", "remove-tool", NULL}, prefix);
  else if (position == 1 && g_str_equal(cmd, "run"))
    emit_profiles(prefix); /* the command: an app with a profile, usually */
}

int
hutch_complete(const HutchCommandInfo *commands, int argc, char **argv)
{
  /* argv: "__complete", then the words after "hutch", the last being the
   * one to complete (possibly empty). */
  char **words = argv + 1;
  int n = argc - 1;
  const char *cur = n > 0 ? words[n - 1] : "";
  if (n <= 1) {
    for (const HutchCommandInfo *c = commands; c->name; c++)
      if (c->name[0] != '_')
        emit(c->name, cur);
    emit("help", cur);
    return 0;
  }
  const char *cmd = words[0];
  if (g_str_equal(cmd, "help")) {
    for (const HutchCommandInfo *c = commands; n == 2 && c->name; c++)
      if (c->name[0] != '_')
        emit(c->name, cur);
    return 0;
  }
  /* After "--" come the command's own words (run, enter). */
  for (int i = 1; i < n - 1; i++)
    if (g_str_equal(words[i], "--"))
      return 0;
  const char *prev = words[n - 2];
  if (prev[0] == '-' && g_str_equal(cmd, "run") && emit_option_value(prev, cur))
    return 0;
  if (cur[0] == '-') {
    for (const HutchCommandInfo *c = commands; c->name; c++)
      if (g_str_equal(c->name, cmd))
        hutch_cmd_list_options(c, cur);
    return 0;
  }
  /* Count the positional words before this one, skipping options and the
   * values of run's options that take one. */
  int position = 0;
  g_autoptr(GPtrArray) positional = g_ptr_array_new();
  for (int i = 1; i < n - 1; i++) {
    if (words[i][0] == '-') {
      const HutchProfileKey *key = hutch_profile_key_by_flag(words[i]);
      if ((key && key->metavar && !strchr(words[i], '=')) || g_str_equal(words[i], "--profile") ||
          g_str_equal(words[i], "--name"))
        i++;
      continue;
    }
    g_ptr_array_add(positional, words[i]);
    position++;
  }
  g_ptr_array_insert(positional, 0, (gpointer)cmd);
  g_ptr_array_add(positional, NULL);
  emit_positional(cmd, position + 1, (char **)positional->pdata, cur);
  return 0;
}
