/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "cmd-common.h"
#include "commands.h"
#include "error.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_OPTIONS "HUTCH_LIST_OPTIONS"

void
hutch_cmd_list_options(const HutchCommandInfo *command, const char *prefix)
{
  g_setenv(LIST_OPTIONS, prefix, TRUE);
  char *argv[] = {(char *)command->name, NULL};
  g_autoptr(GError) error = NULL;
  command->run(1, argv, &error);
  exit(0); /* a command that parses no options has none to offer */
}

void
hutch_cmd_maybe_list_options(GOptionContext *ctx)
{
  const char *prefix = g_getenv(LIST_OPTIONS);
  if (!prefix)
    return;
  /* GOption's help is made from the command's option table. */
  g_autofree char *help = g_option_context_get_help(ctx, TRUE, NULL);
  g_auto(GStrv) lines = g_strsplit(help, "\n", -1);
  for (char **l = lines; *l; l++) {
    const char *p = strstr(*l, "--");
    if (!p || !g_ascii_isspace(**l))
      continue;
    gsize len = strspn(p + 2, "abcdefghijklmnopqrstuvwxyz0123456789-");
    g_autofree char *option = g_strndup(p, len + 2);
    if (len && g_str_has_prefix(option, prefix) && !g_str_equal(option, "--help-all"))
      printf("%s\n", option);
  }
  exit(0);
}

/* GOption converts a text option's value from the locale's charset and,
 * when that fails, says only "Invalid byte sequence in conversion input":
 * name the option whose value it was. */
static void
name_unconvertible_option(GError *error, int argc, char **argv)
{
  if (error->domain != G_CONVERT_ERROR)
    return;
  for (int i = 1; i < argc && !g_str_equal(argv[i], "--"); i++) {
    if (g_utf8_validate(argv[i], -1, NULL))
      continue;
    g_autofree char *option = NULL;
    if (g_str_has_prefix(argv[i], "-"))
      option = g_strndup(argv[i], strcspn(argv[i], "="));
    else if (i > 1 && g_str_has_prefix(argv[i - 1], "-"))
      option = g_strdup(argv[i - 1]);
    else
      return;
    g_autofree char *msg = g_strdup_printf("%s: its value is not valid text in this locale (%s)",
                                           option, error->message);
    g_free(error->message);
    error->message = g_steal_pointer(&msg);
    return;
  }
}

gboolean
hutch_cmd_parse_context(GOptionContext *ctx, int *argc, char ***argv, GError **error)
{
  hutch_cmd_maybe_list_options(ctx);
  /* GOption removes what it parsed; the message needs the options as given. */
  g_auto(GStrv) given = g_strdupv(*argv);
  int given_argc = *argc;
  if (g_option_context_parse(ctx, argc, argv, error))
    return TRUE;
  name_unconvertible_option(*error, given_argc, given);
  (*error)->domain = HUTCH_ERROR;
  (*error)->code = HUTCH_ERROR_USAGE;
  return FALSE;
}

gboolean
hutch_cmd_parse(const char *params, const char *summary, GOptionEntry *entries, int *argc,
                char ***argv, GError **error)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new(params);
  g_option_context_set_summary(ctx, summary);
  if (entries)
    g_option_context_add_main_entries(ctx, entries, NULL);
  /* Options end at NAME or COMMAND: what follows belongs to them. */
  g_option_context_set_strict_posix(ctx, TRUE);
  return hutch_cmd_parse_context(ctx, argc, argv, error);
}

gboolean
hutch_cmd_one_name(int argc, char **argv, const char **name, GError **error)
{
  int first = argc > 1 && g_str_equal(argv[1], "--") ? 2 : 1;
  if (argc - first != 1) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "%s: expected exactly one sandbox name (see 'hutch ls')", argv[0]);
    return FALSE;
  }
  *name = argv[first];
  return TRUE;
}

HutchState *
hutch_cmd_open_sandbox(const char *summary, GOptionEntry *entries, int *argc, char ***argv,
                       GError **error)
{
  const char *name;
  if (!hutch_cmd_parse("NAME", summary, entries, argc, argv, error) ||
      !hutch_cmd_one_name(*argc, *argv, &name, error))
    return NULL;
  return hutch_state_find(name, error);
}
