/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The lockdown: the last steps before a process inside a sandbox execs,
 * in one order, for the sandbox's init (child.c) and for every process
 * `hutch enter` starts (cli/cmd-enter.c), so both run with identical
 * capabilities, no_new_privs, limits and filter. Raw syscalls only: it
 * runs in a freshly cloned or forked child, where nothing may allocate. */
#pragma once
#include <linux/filter.h>
#include <signal.h>
#include "reslimit.h"

typedef struct {
  int new_session; /* setsid(): the app cannot reach the caller's terminal */
  /* A terminal of its own (hutch enter: the slave of a pseudo-terminal,
   * pty-relay.h): after setsid it becomes the controlling terminal and
   * replaces each of the fds 0..2 whose bit is set in tty_fds. None when
   * tty_fds is 0. */
  int tty_fd;
  unsigned tty_fds;
  const int *keep_fds; /* stay open across exec; every other fd above 2 closes */
  unsigned n_keep_fds;
  const HutchRlimit *rlimits; /* set as given; one above a hard limit the caller */
  int n_rlimits;              /* cannot raise stays at that lower limit */
  int set_nice;               /* set NICE (only ever lowers the priority) */
  int nice;
  const struct sock_filter *filter; /* NULL: no seccomp filter */
  unsigned short filter_len;
  /* The signal mask to exec with; NULL: none blocked. The sandbox's init
   * keeps the signals hutch relays blocked across its exec: pid 1 of a
   * namespace drops a signal it has no handler for, so one relayed
   * before init installed its handlers would be lost, while a blocked one
   * waits for it. */
  const sigset_t *exec_mask;
} HutchLockdown;

/* The signals hutch forwards to the sandbox (and blocks for itself); the
 * sandbox's init execs with them blocked. */
void hutch_forwarded_signals(sigset_t *set);

/* In this order: new session, its terminal, fds, capabilities (bounding
 * and ambient sets included), no_new_privs, limits, signal mask, seccomp.
 * Returns 0, or an errno with *STEP naming the step that failed. */
int hutch_lockdown(const HutchLockdown *lockdown, const char **step);

/* The pieces, for tests and for a process that must shed its rights
 * without execing (enter's waiting parent). */
int hutch_lockdown_keep_fds(const int *fds, unsigned n);
int hutch_lockdown_drop_caps(void);
