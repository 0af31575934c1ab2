/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch profile list|show|check: what profile authors use to see what a
 * profile grants and to find their mistakes before anything runs. */
#include "cmd-common.h"
#include "commands.h"
#include "error.h"
#include "desktop-entries.h"
#include "print.h"
#include "profile-list.h"
#include "profile.h"
#include <stdio.h>
#include <string.h>

/* Columns as wide as their widest entry, so long names and descriptions
 * keep the table aligned. Escaped first: the widths are those of what is
 * printed. */
static int
profile_list(int argc, char **argv)
{
  g_autoptr(GPtrArray) profiles = hutch_profile_list();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
  int name_w = 4, desc_w = 11;
  for (guint i = 0; i < profiles->len; i++) {
    const HutchProfileEntry *p = profiles->pdata[i];
    g_autofree char *where =
        g_strdup_printf("%s%s%s%s", p->path, p->shadowed ? " (shadowed)" : "",
                        p->override ? " + " : "", p->override ? p->override : "");
    char **row = g_new0(char *, 4);
    row[0] = hutch_escape(p->name);
    row[1] = hutch_escape(p->broken ? "(has errors: run hutch profile check)" : p->description);
    row[2] = hutch_escape(where);
    name_w = MAX(name_w, (int)g_utf8_strlen(row[0], -1));
    desc_w = MAX(desc_w, (int)g_utf8_strlen(row[1], -1));
    g_ptr_array_add(rows, row);
  }
  printf("%-*s  %-*s  %s\n", name_w, "NAME", desc_w, "DESCRIPTION", "FILE");
  for (guint i = 0; i < rows->len; i++) {
    char **r = rows->pdata[i];
    /* %-*s pads bytes; pad by characters for descriptions that are not ASCII. */
    int pad = desc_w - (int)g_utf8_strlen(r[1], -1);
    printf("%-*s  %s%*s  %s\n", name_w, r[0], r[1], pad, "", r[2]);
  }
  return 0;
}

static void
print_errors(HutchProfileLoader *loader)
{
  GPtrArray *errors = hutch_profile_loader_errors(loader);
  for (guint i = 0; i < errors->len; i++)
    hutch_print_line(stderr, "%s", (char *)errors->pdata[i]);
}

static int
profile_show(int argc, char **argv, GError **error)
{
  if (argc != 2) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE, "usage: hutch profile show NAME|PATH");
    return -1;
  }
  g_autoptr(HutchProfileLoader) loader = hutch_profile_loader_new(NULL);
  g_autoptr(HutchPolicy) policy = hutch_policy_new();
  if (!hutch_profile_loader_apply_profile(loader, policy, argv[1], error))
    return -1;
  if (hutch_profile_loader_errors(loader)->len) {
    print_errors(loader);
    return HUTCH_EXIT_FAILED;
  }
  g_autoptr(GString) out = g_string_new(NULL);
  hutch_profile_show(policy, out);
  fputs(out->str, stdout);
  return 0;
}

static gboolean
check_one(const char *arg)
{
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GError) error = NULL;
  if (!hutch_profile_check(arg, &errors, &warnings, &error)) {
    hutch_print_error(error);
    return FALSE;
  }
  for (guint i = 0; i < errors->len; i++)
    hutch_print_line(stderr, "%s", (char *)errors->pdata[i]);
  if (errors->len)
    return FALSE;
  for (guint i = 0; i < warnings->len; i++)
    hutch_print_line(stderr, "%s", (char *)warnings->pdata[i]);
  if (warnings->len)
    hutch_print_line(stdout, "%s: ok, with %u warning%s", arg, warnings->len,
                     warnings->len == 1 ? "" : "s");
  else
    hutch_print_line(stdout, "%s: ok", arg);
  return TRUE;
}

/* Every profile and include file in the search path. */
static GPtrArray *
all_profile_files(void)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);
  g_auto(GStrv) search = hutch_profile_search_path();
  for (char **d = search; *d; d++) {
    g_auto(GStrv) files = hutch_profile_dir_files(*d, TRUE);
    for (char **f = files; *f; f++)
      g_ptr_array_add(paths, g_build_filename(*d, *f, NULL));
  }
  return paths;
}

static int
profile_check(int argc, char **argv, GError **error)
{
  gboolean all = FALSE;
  GOptionEntry entries[] = {
      {"all", 0, 0, G_OPTION_ARG_NONE, &all, "Check every profile and include in the search path",
       NULL},
      {NULL},
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("FILE|NAME...");
  g_option_context_set_summary(ctx, "Check profiles without running anything; errors are "
                                    "printed as FILE:LINE: message.");
  g_option_context_add_main_entries(ctx, entries, NULL);
  if (!hutch_cmd_parse_context(ctx, &argc, &argv, error))
    return -1;
  g_autoptr(GPtrArray) files = all ? all_profile_files() : g_ptr_array_new();
  if (argc < 2 && !files->len) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "usage: hutch profile check [--all] FILE|NAME...");
    return -1;
  }
  gboolean ok = TRUE;
  for (guint i = 0; i < files->len; i++)
    ok &= check_one(files->pdata[i]);
  for (int i = 1; i < argc; i++)
    ok &= check_one(argv[i]);
  return ok ? 0 : HUTCH_EXIT_FAILED;
}

/* What an app's menu categories say it needs, most specific first: the
 * shipped include for its kind, and what a starting profile adds. */
static const struct {
  const char *category;
  const char *include;
  const char *extra; /* more lines, "" for none */
  const char *why;
} kinds[] = {
    {"WebBrowser", "browser.inc", "", "a web browser: the network, display, sound, GPU"},
    {"Game", "gaming.inc", "", "a game: display, sound, GPU, controllers, its own home"},
    {"Email", "desktop.inc", "\n[Filesystem]\nhome=private\n\n[Network]\nmode=user\n",
     "a mail client: the network and its own home"},
    {"InstantMessaging", "desktop.inc",
     "\n[Filesystem]\nhome=private\n\n[Permissions]\nallow=audio\n\n[Network]\nmode=user\n",
     "a chat app: the network, sound and its own home"},
    {"IRCClient", "desktop.inc", "\n[Filesystem]\nhome=private\n\n[Network]\nmode=user\n",
     "an IRC client: the network and its own home"},
    {"FileTransfer", "desktop.inc",
     "\n[Filesystem]\nhome=private\nrw=-xdg-download\n\n[Network]\nmode=user\n",
     "a file transfer app: the network, its own home, Downloads"},
    {"AudioVideo", "media.inc", "", "a media player: display, sound, GPU, your music and videos"},
    {"Audio", "media.inc", "", "an audio app: display, sound, GPU, your music and videos"},
    {"Video", "media.inc", "", "a video app: display, sound, GPU, your music and videos"},
    {"Viewer", "documents.inc", "", "a viewer: display, your documents read-only"},
    {"Office", "desktop.inc", "\n[Filesystem]\nhome=private\nrw=-xdg-documents\n",
     "an office app: its own home, your documents"},
    {"Graphics", "desktop.inc", "\n[Filesystem]\nhome=private\nrw=-xdg-pictures\n",
     "a graphics app: its own home, your pictures"},
    {"TextEditor", "desktop.inc", "\n[Filesystem]\nrw=-xdg-documents\n",
     "a text editor: your documents"},
    {"Development", "devel.inc", "\n[Permissions]\nallow=display\n",
     "a development tool: your home read-only, secrets hidden"},
    {"TerminalEmulator", "secrets.inc", "\n[Filesystem]\nhome=ro\n\n[Permissions]\nallow=display\n",
     "a terminal: your home read-only, secrets hidden"},
};

/* hutch profile new APP: a commented starting profile in the user's
 * profile directory, from APP's menu entry, checked before it is kept. */
static int
profile_new(int argc, char **argv, GError **error)
{
  if (argc != 2 || !hutch_profile_name_valid(argv[1])) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE, "usage: hutch profile new APP");
    return -1;
  }
  const char *app = argv[1];
  g_auto(GStrv) search = hutch_profile_search_path();
  g_autofree char *file = g_strconcat(app, ".profile", NULL);
  g_autofree char *existing = hutch_profile_find_file(search, NULL, file);
  if (existing) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_FAILED,
                "profile new: %s has a profile already (%s); change it with an override "
                "(hutch profile show %s lists where)",
                app, existing, app);
    return -1;
  }
  g_autofree char *entry_path = NULL;
  g_autoptr(GKeyFile) entry = hutch_desktop_entry_of(app, &entry_path);
  g_auto(GStrv) categories =
      entry ? g_key_file_get_string_list(entry, "Desktop Entry", "Categories", NULL, NULL) : NULL;
  g_autofree char *name =
      entry ? g_key_file_get_locale_string(entry, "Desktop Entry", "Name", NULL, NULL) : NULL;
  gsize kind = G_N_ELEMENTS(kinds);
  for (gsize k = 0; categories && k < G_N_ELEMENTS(kinds) && kind == G_N_ELEMENTS(kinds); k++)
    if (g_strv_contains((const char *const *)categories, kinds[k].category))
      kind = k;
  g_autoptr(GString) text = g_string_new(NULL);
  g_string_append_printf(text,
                         "# A starting profile for %s, written by hutch profile new%s%s.\n"
                         "# Grant the least the app needs; see hutch-profile(5), and check it\n"
                         "# with: hutch profile check %s\n",
                         app, entry ? " from " : "", entry ? entry_path : "", app);
  if (kind < G_N_ELEMENTS(kinds))
    g_string_append_printf(text, "# Its menu entry says it is %s.\n", kinds[kind].why);
  else if (entry)
    g_string_append(text, "# A graphical app: the display, nothing else.\n");
  else
    g_string_append(text, "# No menu entry: nothing but the command.\n");
  g_string_append_printf(text, "[Profile]\ndescription=%s%s\ncommand=%s\n", name ? name : app,
                         name ? "" : ": nothing but the command", app);
  if (kind < G_N_ELEMENTS(kinds))
    g_string_append_printf(text, "include=%s\n%s", kinds[kind].include, kinds[kind].extra);
  else if (entry)
    g_string_append(text, "include=desktop.inc\n");
  g_string_append(text, "\n# More, as it needs them:\n"
                        "# [Filesystem]  home=private   ro=~/Music   rw=-xdg-documents\n"
                        "# [Permissions] allow=audio;gpu  deny=display\n"
                        "# [Network]     mode=user\n");
  /* Checked before it is written: a profile hutch wrote must load. */
  g_autoptr(HutchProfileLoader) loader = hutch_profile_loader_new(NULL);
  g_autoptr(HutchPolicy) policy = hutch_policy_new();
  g_autofree char *dir = g_build_filename(g_get_user_config_dir(), "hutch", "profiles", NULL);
  g_autofree char *path = g_build_filename(dir, file, NULL);
  if (!hutch_profile_loader_apply_file(loader, policy, path, text->str, text->len) ||
      !hutch_profile_loader_take_errors(loader, error))
    return -1;
  if (g_mkdir_with_parents(dir, 0755) < 0 ||
      !g_file_set_contents_full(path, text->str, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error)) {
    if (error && !*error)
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_FAILED, "profile new: cannot write %s", path);
    return -1;
  }
  printf("wrote %s (%s); it loads: hutch profile show %s\n", path,
         kind < G_N_ELEMENTS(kinds) ? kinds[kind].why
         : entry                    ? "a graphical app"
                                    : "nothing but the command",
         app);
  return 0;
}

static void
usage(FILE *out)
{
  fprintf(out, "Usage: hutch profile COMMAND\n\n"
               "  list                    every profile found, its description and file\n"
               "  show NAME|PATH          the resolved policy, each setting with its origin\n"
               "  check [--all] FILE|NAME...  validate profiles; errors as FILE:LINE: message\n"
               "  new APP                 write a starting profile for APP, from its menu entry\n"
               "\nSee hutch-profile(5) for the keys.\n");
}

int
hutch_cmd_profile(int argc, char **argv, GError **error)
{
  if (argc < 2) {
    usage(stderr);
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE, "profile: expected list, show or check");
    return -1;
  }
  if (g_str_equal(argv[1], "--help") || g_str_equal(argv[1], "-h")) {
    usage(stdout);
    return 0;
  }
  if (g_str_equal(argv[1], "list"))
    return profile_list(argc - 1, argv + 1);
  if (g_str_equal(argv[1], "show"))
    return profile_show(argc - 1, argv + 1, error);
  if (g_str_equal(argv[1], "check"))
    return profile_check(argc - 1, argv + 1, error);
  if (g_str_equal(argv[1], "new"))
    return profile_new(argc - 1, argv + 1, error);
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
              "unknown profile command '%s' (use list, show, check or new)", argv[1]);
  return -1;
}
