/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch run --detach: the caller gets its shell back once the app runs,
 * while a background hutch keeps supervising the sandbox.
 *
 *   caller ──fork──► supervisor (new session) ─► plan, launch, supervise
 *     │                 │ "ok NAME" once the app has started
 *     └◄── pipe ◄───────┘ (or EOF: the caller exits with the supervisor's status)
 *
 * The sandbox's stdin becomes /dev/null and its stdout and stderr the log
 * $XDG_STATE_HOME/hutch/logs/NAME.log (`hutch log NAME` shows it), unless
 * they are regular files (a log the caller redirected to); so do the
 * supervisor's own once the app has started, so that what it says later
 * (the app's end, an error) is kept too. */
#pragma once
#include <glib.h>
#include "plan.h"

/* Fork the supervisor. Returns TRUE in the caller, which must then exit
 * with *exit_code; FALSE in the supervisor, which carries on. */
gboolean hutch_detach_fork(int *exit_code);
/* Plan step: /dev/null for the sandbox's non-file stdio when detached. */
gboolean hutch_detach_plan(HutchPlan *plan, GError **error);
/* In the supervisor: tell the caller the app started, and let go of the
 * caller's terminal and pipes. */
void hutch_detach_started(const HutchPlan *plan);
/* $XDG_STATE_HOME/hutch/logs/NAME.log */
char *hutch_detach_log_path(const char *name);
/* TRUE once hutch_detach_started ran (or when not detached). */
gboolean hutch_detach_reported(void);
