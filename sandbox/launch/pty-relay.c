/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "pty-relay.h"
#include "error.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/openat2.h>

unsigned
hutch_pty_terminal_fds(void)
{
  unsigned fds = 0;
  for (int fd = 0; fd < 3; fd++)
    if (isatty(fd))
      fds |= 1u << fd;
  return fds;
}

/* The sandbox's ptmx, reached through its root without following a
 * symlink, and checked to be the ptmx of a devpts before it is opened
 * (the app can write the sandbox's /dev, not its /dev/pts). */
static int
open_sandbox_ptmx(int root_fd)
{
  struct open_how how = {
      .flags = O_PATH | O_CLOEXEC,
      .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
  };
  int path_fd = (int)syscall(SYS_openat2, root_fd, "dev/pts/ptmx", &how, sizeof(how));
  if (path_fd < 0)
    return -1;
  struct statfs sf;
  struct stat st;
  int fd = -1;
  if (fstatfs(path_fd, &sf) == 0 && sf.f_type == DEVPTS_SUPER_MAGIC && fstat(path_fd, &st) == 0 &&
      S_ISCHR(st.st_mode)) {
    char self[64];
    snprintf(self, sizeof(self), "/proc/self/fd/%d", path_fd);
    fd = open(self, O_RDWR | O_NOCTTY | O_CLOEXEC);
  } else {
    errno = ENODEV;
  }
  int e = errno;
  close(path_fd);
  errno = e;
  return fd;
}

static gboolean
fail(HutchPty *pty, const char *what, GError **error)
{
  int e = errno;
  hutch_pty_close(pty);
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot give the command a terminal: %s: %s",
              what, g_strerror(e));
  return FALSE;
}

gboolean
hutch_pty_open(HutchPty *pty, unsigned tty_fds, int root_fd, GError **error)
{
  pty->tty_fds = tty_fds;
  pty->tty = tty_fds & 1 ? 0 : tty_fds & 2 ? 1 : 2;
  pty->out = tty_fds & 2 ? 1 : tty_fds & 4 ? 2 : 0;
  pty->master = open_sandbox_ptmx(root_fd);
  pty->from_sandbox = pty->master >= 0;
  if (pty->master < 0)
    pty->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (pty->master < 0)
    return fail(pty, "open a pseudo-terminal", error);
  int unlock = 0;
  if (ioctl(pty->master, TIOCSPTLCK, &unlock) < 0)
    return fail(pty, "unlock the pseudo-terminal", error);
  /* The slave by the master, not by a path the sandbox could redirect. */
  pty->slave = ioctl(pty->master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (pty->slave < 0)
    return fail(pty, "open its other end (TIOCGPTPEER, Linux 4.13)", error);
  struct termios t;
  if (tcgetattr(pty->tty, &t) == 0 && tcsetattr(pty->slave, TCSANOW, &t) < 0)
    return fail(pty, "copy the terminal's settings", error);
  struct winsize ws;
  if (ioctl(pty->tty, TIOCGWINSZ, &ws) == 0)
    ioctl(pty->master, TIOCSWINSZ, &ws);
  return TRUE;
}

static void
copy_window_size(HutchPty *pty)
{
  struct winsize ws;
  if (ioctl(pty->tty, TIOCGWINSZ, &ws) == 0)
    ioctl(pty->master, TIOCSWINSZ, &ws); /* the command gets its SIGWINCH */
}

static gboolean
in_foreground(const HutchPty *pty)
{
  return tcgetpgrp(pty->tty) == getpgrp();
}

/* Keys go to the command as they are typed, ^C and ^Z included: its own
 * terminal turns them into its signals. Only the input terminal, and only
 * from the foreground (a background job must not change it). */
static void
set_raw(HutchPty *pty)
{
  if (pty->raw || !(pty->tty_fds & 1) || !in_foreground(pty) || tcgetattr(0, &pty->saved) < 0)
    return;
  struct termios raw = pty->saved;
  cfmakeraw(&raw);
  /* TCSANOW: what was typed before is not thrown away. */
  if (tcsetattr(0, TCSANOW, &raw) == 0)
    pty->raw = TRUE;
}

static void
restore_terminal(HutchPty *pty)
{
  if (pty->raw)
    tcsetattr(0, TCSADRAIN, &pty->saved);
  pty->raw = FALSE;
}

void
hutch_pty_close(HutchPty *pty)
{
  restore_terminal(pty);
  if (pty->slave >= 0)
    close(pty->slave);
  if (pty->master >= 0)
    close(pty->master);
  pty->slave = pty->master = -1;
}

/* --- the relay -------------------------------------------------------------- */

typedef struct {
  char data[4096];
  size_t len;
} Buffer;

static void
consume(Buffer *b, ssize_t n)
{
  memmove(b->data, b->data + n, b->len - (size_t)n);
  b->len -= (size_t)n;
}

typedef struct {
  HutchPty *pty;
  pid_t child;
  int status; /* -1 while the command runs */
  Buffer in;  /* the caller's keys, for the command */
  Buffer out; /* the command's output, for the caller's terminal */
  gboolean input_open;
  gboolean master_open;
  gboolean output_open;
} Relay;

static int
status_code(int status)
{
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The command stopped (^Z on its terminal, or a SIGTSTP hutch passed on):
 * under a shell with job control hutch stops too, the terminal cooked
 * again, and continues the command when it is continued itself; without
 * one nothing could continue it, so it goes on at once. */
static void
command_stopped(Relay *r)
{
  HutchPty *pty = r->pty;
  gboolean job = getpgrp() == getpid() && getsid(0) != getpid() && in_foreground(pty);
  if (job) {
    restore_terminal(pty);
    raise(SIGSTOP);
    set_raw(pty);
    copy_window_size(pty);
  }
  kill(r->child, SIGCONT);
}

static void
check_child(Relay *r)
{
  int status;
  pid_t got = waitpid(r->child, &status, WNOHANG | WUNTRACED);
  if (got != r->child)
    return;
  if (WIFSTOPPED(status))
    command_stopped(r);
  else
    r->status = status_code(status);
}

static void
handle_signal(Relay *r, int sig)
{
  switch (sig) {
  case SIGCHLD:
    check_child(r);
    break;
  case SIGWINCH:
    copy_window_size(r->pty);
    break;
  case SIGCONT: /* hutch was stopped by someone else and continued */
    set_raw(r->pty);
    copy_window_size(r->pty);
    kill(r->child, SIGCONT);
    break;
  case SIGTSTP:
    kill(r->child, SIGTSTP);
    break;
  case SIGTTIN:
  case SIGTTOU:
    break;
  default:
    kill(r->child, sig);
  }
}

static void
read_signals(Relay *r, int sfd)
{
  struct signalfd_siginfo info;
  while (read(sfd, &info, sizeof(info)) == sizeof(info))
    handle_signal(r, (int)info.ssi_signo);
}

/* Read from FD into B; FALSE at its end (EOF, or EIO when no process holds
 * the other side of a terminal any more). */
static gboolean
fill(int fd, Buffer *b)
{
  ssize_t n = read(fd, b->data + b->len, sizeof(b->data) - b->len);
  if (n > 0)
    b->len += (size_t)n;
  return n > 0 || (n < 0 && (errno == EINTR || errno == EAGAIN));
}

static gboolean
drain(int fd, Buffer *b)
{
  ssize_t n = write(fd, b->data, b->len);
  if (n > 0)
    consume(b, n);
  return n >= 0 || errno == EINTR || errno == EAGAIN;
}

enum { P_SIGNALS, P_INPUT, P_MASTER, P_OUTPUT, P_COUNT };

static void
relay_once(Relay *r, int sfd)
{
  HutchPty *pty = r->pty;
  struct pollfd p[P_COUNT] = {
      [P_SIGNALS] = {.fd = sfd, .events = POLLIN},
      [P_INPUT] = {.fd = -1},
      [P_MASTER] = {.fd = -1},
      [P_OUTPUT] = {.fd = -1},
  };
  /* Reading the terminal from the background would only fail (SIGTTIN is
   * blocked): read again once continued in the foreground. */
  if (r->input_open && r->in.len < sizeof(r->in.data) && in_foreground(pty))
    p[P_INPUT] = (struct pollfd){.fd = 0, .events = POLLIN};
  if (r->master_open) {
    short events = (r->out.len < sizeof(r->out.data) ? POLLIN : 0) | (r->in.len ? POLLOUT : 0);
    p[P_MASTER] = (struct pollfd){.fd = pty->master, .events = events};
  }
  if (r->output_open && r->out.len)
    p[P_OUTPUT] = (struct pollfd){.fd = pty->out, .events = POLLOUT};
  if (poll(p, P_COUNT, -1) < 0)
    return;
  if (p[P_SIGNALS].revents)
    read_signals(r, sfd);
  if (p[P_INPUT].revents && !fill(0, &r->in))
    r->input_open = FALSE;
  if (p[P_MASTER].revents & POLLOUT && !drain(pty->master, &r->in))
    r->in.len = 0;
  if (p[P_MASTER].revents & (POLLIN | POLLHUP | POLLERR) && !fill(pty->master, &r->out))
    r->master_open = FALSE;
  if (p[P_OUTPUT].revents && !drain(pty->out, &r->out))
    r->output_open = FALSE;
  if (!r->output_open)
    r->out.len = 0;
}

/* What the command wrote before it ended still reaches the terminal. */
static void
flush_output(Relay *r)
{
  HutchPty *pty = r->pty;
  while (r->output_open) {
    if (r->out.len == 0 && (!r->master_open || !fill(pty->master, &r->out) || r->out.len == 0))
      break;
    if (!drain(pty->out, &r->out))
      break;
  }
}

int
hutch_pty_relay(HutchPty *pty, pid_t child, const sigset_t *forward)
{
  close(pty->slave);
  pty->slave = -1;
  sigset_t set = *forward, old;
  int stops[] = {SIGTSTP, SIGTTIN, SIGTTOU, SIGCONT, SIGCHLD, SIGWINCH};
  for (gsize i = 0; i < G_N_ELEMENTS(stops); i++)
    sigaddset(&set, stops[i]);
  sigprocmask(SIG_BLOCK, &set, &old);
  int sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  fcntl(pty->master, F_SETFL, fcntl(pty->master, F_GETFL) | O_NONBLOCK);
  Relay r = {
      .pty = pty,
      .child = child,
      .status = -1,
      .input_open = (pty->tty_fds & 1) != 0,
      .master_open = TRUE,
      .output_open = TRUE,
  };
  set_raw(pty);
  copy_window_size(pty);
  check_child(&r); /* it may have ended before the signalfd existed */
  while (r.status < 0 && sfd >= 0)
    relay_once(&r, sfd);
  if (sfd < 0) { /* no signalfd: wait plainly, still through the pty */
    int status;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR)
      ;
    r.status = status_code(status);
  }
  flush_output(&r);
  hutch_pty_close(pty);
  if (sfd >= 0)
    close(sfd);
  sigprocmask(SIG_SETMASK, &old, NULL);
  return r.status;
}
