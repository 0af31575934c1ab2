#include "cmd-common.h"
#include "error.h"

gboolean
hutch_cmd_parse(const char *params, const char *summary, GOptionEntry *entries, int *argc,
                char ***argv, GError **error)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new(params);
  g_option_context_set_summary(ctx, summary);
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_option_context_set_strict_posix(ctx, TRUE);
  if (g_option_context_parse(ctx, argc, argv, error))
    return TRUE;
  (*error)->domain = HUTCH_ERROR;
  (*error)->code = HUTCH_ERROR_USAGE;
  return FALSE;
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

int
hutch_cmd_fail(const GError *error)
{
  hutch_print_error(error);
  return error->code == HUTCH_ERROR_USAGE ? HUTCH_EXIT_USAGE : 1;
}
