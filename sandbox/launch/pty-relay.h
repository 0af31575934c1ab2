/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A pseudo-terminal of its own for a command started inside a sandbox from
 * the user's terminal (hutch enter), relayed to that terminal the way
 * sudo's use_pty and lxc-attach do: the sandbox never holds the user's
 * terminal, so no process in it can keep it open and read what the user
 * types after the command ends.
 *
 * The pair comes from the sandbox's own devpts instance, opened through
 * its root, so the command sees a terminal that exists inside (ttyname(3),
 * tty(1), ssh and sudo work); hutch keeps the master outside. When the
 * sandbox has no usable devpts, the host's /dev/ptmx serves instead. */
#pragma once
#include <glib.h>
#include <signal.h>
#include <sys/types.h>
#include <termios.h>

typedef struct {
  int master;       /* -1: none */
  int slave;        /* given to the command, closed here after the fork */
  unsigned tty_fds; /* bit N: fd N (0..2) faces the caller's terminal */
  int tty;          /* one of them: its settings and size are copied */
  int out;          /* where the command's output goes */
  gboolean raw;     /* the caller's terminal is in raw mode, saved in: */
  struct termios saved;
  gboolean from_sandbox; /* the pair is the sandbox's devpts's */
} HutchPty;

#define HUTCH_PTY_INIT                                                                             \
  {                                                                                                \
    .master = -1, .slave = -1, .tty = -1, .out = -1                                                \
  }

/* The bits of the fds 0..2 that face a terminal; 0: none, no pty needed. */
unsigned hutch_pty_terminal_fds(void);

/* Open the pair (from the devpts at dev/pts of the tree ROOT_FD is the
 * root of), with the caller's terminal settings and window size. */
gboolean hutch_pty_open(HutchPty *pty, unsigned tty_fds, int root_fd, GError **error);

/* Relay between the caller's terminal and the command CHILD until it
 * exits: its input in raw mode, its output, the window size (SIGWINCH),
 * the signals of FORWARD sent to hutch, and job control (a stopped
 * command stops hutch, hutch continued continues it). FORWARD must be
 * blocked. Returns the command's status (128+N when killed by N). The
 * caller's terminal is restored before it returns. */
int hutch_pty_relay(HutchPty *pty, pid_t child, const sigset_t *forward);

/* Restore the caller's terminal and close the pair; safe to call twice,
 * and on every path out of enter. */
void hutch_pty_close(HutchPty *pty);
