/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Files a passthrough makes for one sandbox (a cookie, a client.conf, a
 * socket) live in the sandbox's private host runtime dir and are bound in.
 * In a dry run there is no such dir: the ops then name the file that would
 * be made, and nothing is created. */
#pragma once
#include "plan.h"

/* Host path of NAME in the sandbox's runtime dir; NULL in a dry run. */
char *hutch_runtime_file(HutchPlan *plan, const char *name);
/* Bind NAME from the runtime dir at SANDBOX_PATH; in a dry run, an op that
 * describes it. */
gboolean hutch_runtime_bind(HutchPlan *plan, const char *name, const char *sandbox_path,
                            guint flags, const char *why, GError **error);
/* Write CONTENTS to NAME in the runtime dir, mode 0600, refusing to follow
 * or replace anything already there. */
gboolean hutch_runtime_write(HutchPlan *plan, const char *name, const char *contents,
                             GError **error);
/* Create the subdirectory NAME (0700) of the runtime dir. */
gboolean hutch_runtime_mkdir(HutchPlan *plan, const char *name, GError **error);
