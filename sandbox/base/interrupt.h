/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Signals that end a launch before its command runs. hutch run blocks the
 * signals it forwards from the start, so that none is lost; until the
 * command gets its go, a watcher thread takes SIGINT, SIGTERM, SIGHUP and
 * SIGQUIT as they come. The launch checks between its steps
 * (hutch_interrupt_check) and gives up there, undoing what it set up; a
 * launch stuck in a step (a server that does not answer) is ended by the
 * watcher after a grace period instead, which leaves what was set up to
 * the next hutch command, as a SIGKILL would. Either way hutch exits with
 * 128+N. Once the command has its go, the signals stay pending for
 * supervision, which relays them to it. */
#pragma once
#include <glib.h>

/* Start watching (the signals must be blocked in every thread already). */
void hutch_interrupt_watch(void);
/* Stop watching; the signal the watcher took meanwhile (0: none), which is
 * then the caller's to act on. */
int hutch_interrupt_stop(void);
/* The signal that interrupted the launch, 0 when none. */
int hutch_interrupt_signal(void);
/* FALSE, with a HUTCH_ERROR_INTERRUPTED + N error, once signal N came. */
gboolean hutch_interrupt_check(GError **error);
/* Set ERROR to say that signal SIG ended the launch. */
void hutch_interrupt_error(int sig, GError **error);
