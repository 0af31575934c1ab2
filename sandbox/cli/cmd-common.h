/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the commands share: option parsing, and opening a sandbox by name.
 * A command returns its exit status, or -1 with an error that main()
 * prints and turns into the exit status (hutch_exit_status). */
#pragma once
#include <glib.h>
#include "state.h"

/* Parse ARGV with ENTRIES; PARAMS and SUMMARY feed --help. Every error is
 * turned into a HUTCH_ERROR_USAGE. */
gboolean hutch_cmd_parse(const char *params, const char *summary, GOptionEntry *entries, int *argc,
                         char ***argv, GError **error);
/* Completion (cmd-complete.c): under HUTCH_LIST_OPTIONS, print CTX's long
 * options with that prefix and exit; the parsers call it. */
void hutch_cmd_maybe_list_options(GOptionContext *ctx);
/* The same with a context the command set up itself. */
gboolean hutch_cmd_parse_context(GOptionContext *ctx, int *argc, char ***argv, GError **error);
/* Exactly one NAME left after the options (argv[1]), else a usage error. */
gboolean hutch_cmd_one_name(int argc, char **argv, const char **name, GError **error);
/* The start of every command that acts on one sandbox (info, stop, freeze,
 * thaw): parse "NAME" with ENTRIES (NULL: none) and find the live sandbox
 * of that name. */
HutchState *hutch_cmd_open_sandbox(const char *summary, GOptionEntry *entries, int *argc,
                                   char ***argv, GError **error);
