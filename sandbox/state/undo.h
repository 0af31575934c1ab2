/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Undoing what a dead sandbox left on the host (state.h, "Host cleanups"),
 * for state.c. A stale directory is first claimed: renamed to
 * ".stale-PID-START-NAME", tagged with the process that does the work, so
 * that two commands never undo one sandbox twice and the work of one that
 * dies half-way is taken over once its tag names a dead process. */
#pragma once
#include <glib.h>

#define HUTCH_STALE_PREFIX ".stale-"

/* Rename ROOT/ENTRY to ROOT/.stale-<this process>-NAME; the new path, or
 * NULL when another process took ENTRY first (or it is gone). */
char *hutch_stale_claim(const char *root, const char *entry, const char *name);

/* FALSE when DIR records undo entries but this program set no handlers to
 * run them: leave DIR for a program that can. */
gboolean hutch_stale_can_undo(const char *dir);

/* Undo every entry of DIR's cleanup file (DIR claimed by this process) and
 * remove DIR. The undo runs in a background process: this waits for it at
 * most a short while, copies what it reports to stderr, and says so when
 * it goes on after that. An entry whose undo fails stays in the file, and
 * DIR stays (tagged with that process) for a later command to retry. */
void hutch_stale_undo(const char *dir, const char *name);

/* TRUE while a stale directory whose last undo failed waits for its next
 * try (so that a loop of commands does not retry it each time). */
gboolean hutch_stale_retry_later(const char *dir);
