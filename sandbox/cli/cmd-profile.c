/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch profile list|show|check: what profile authors use to see what a
 * profile grants and to find their mistakes before anything runs. */
#include "cmd-common.h"
#include "commands.h"
#include "error.h"
#include "profile-list.h"
#include "profile.h"
#include <stdio.h>
#include <string.h>

static int
profile_list(int argc, char **argv)
{
  g_autoptr(GPtrArray) profiles = hutch_profile_list();
  for (guint i = 0; i < profiles->len; i++) {
    const HutchProfileEntry *p = profiles->pdata[i];
    printf("%-14s %-62s %s%s%s%s\n", p->name,
           p->broken ? "(has errors: run hutch profile check)" : p->description, p->path,
           p->shadowed ? " (shadowed)" : "", p->override ? " + " : "",
           p->override ? p->override : "");
  }
  return 0;
}

static void
print_errors(HutchProfileLoader *loader)
{
  GPtrArray *errors = hutch_profile_loader_errors(loader);
  for (guint i = 0; i < errors->len; i++)
    fprintf(stderr, "%s\n", (char *)errors->pdata[i]);
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
  g_autoptr(GError) error = NULL;
  if (!hutch_profile_check(arg, &errors, &error)) {
    hutch_print_error(error);
    return FALSE;
  }
  for (guint i = 0; i < errors->len; i++)
    fprintf(stderr, "%s\n", (char *)errors->pdata[i]);
  if (errors->len)
    return FALSE;
  printf("%s: ok\n", arg);
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

static void
usage(FILE *out)
{
  fprintf(out, "Usage: hutch profile COMMAND\n\n"
               "  list                    every profile found, its description and file\n"
               "  show NAME|PATH          the resolved policy, each setting with its origin\n"
               "  check [--all] FILE|NAME...  validate profiles; errors as FILE:LINE: message\n"
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
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
              "unknown profile command '%s' (use list, show or check)", argv[1]);
  return -1;
}
