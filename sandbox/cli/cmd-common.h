/* What the lifecycle commands (ls, info, stop, freeze, thaw, enter, check)
 * share: option parsing and exit codes. They exit 0 on success, 1 when
 * the sandbox is missing or the host refuses, 2 on a bad command line. */
#pragma once
#include <glib.h>

/* Parse ARGV with ENTRIES; PARAMS and SUMMARY feed --help. Every error is
 * turned into a HUTCH_ERROR_USAGE. */
gboolean hutch_cmd_parse(const char *params, const char *summary, GOptionEntry *entries, int *argc,
                         char ***argv, GError **error);
/* Exactly one NAME left after the options (argv[1]), else a usage error. */
gboolean hutch_cmd_one_name(int argc, char **argv, const char **name, GError **error);
/* Print ERROR and return the exit code for it. */
int hutch_cmd_fail(const GError *error);
