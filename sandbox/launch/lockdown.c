/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "lockdown.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/seccomp.h>

void
hutch_forwarded_signals(sigset_t *set)
{
  sigemptyset(set);
  int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGCHLD, SIGWINCH};
  for (gsize i = 0; i < G_N_ELEMENTS(sigs); i++)
    sigaddset(set, sigs[i]);
}

/* Everything above 2 closes at exec except what the user passed on purpose;
 * close-on-exec (not close) keeps our own pipes and the init fd working. */
int
hutch_lockdown_keep_fds(const int *fds, unsigned n)
{
  if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
    if (errno != ENOSYS && errno != EINVAL)
      return errno;
    for (int fd = 3; fd < 65536; fd++)
      fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  for (unsigned i = 0; i < n; i++)
    if (fcntl(fds[i], F_SETFD, 0) < 0)
      return errno;
  return 0;
}

int
hutch_lockdown_drop_caps(void)
{
  /* Drop until the kernel says EINVAL, past its last capability: no
   * PR_CAPBSET_READ before each (41 system calls saved per launch). */
  for (int cap = 0;; cap++)
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
      if (errno == EINVAL && cap > 0)
        break;
      return errno;
    }
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
    return errno;
  struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2];
  memset(data, 0, sizeof(data));
  if (syscall(SYS_capset, &hdr, data) < 0)
    return errno;
  return 0;
}

/* Limits are applied after the capabilities are gone, so they can only be
 * lowered: EPERM means the caller's own hard limit is lower than the one
 * asked for, and that lower limit stays. */
static int
apply_limits(const HutchLockdown *l)
{
  for (int i = 0; i < l->n_rlimits; i++)
    if (setrlimit(l->rlimits[i].resource, &l->rlimits[i].value) < 0 && errno != EPERM)
      return errno;
  if (l->set_nice && setpriority(PRIO_PROCESS, 0, l->nice) < 0 && errno != EACCES && errno != EPERM)
    return errno;
  return 0;
}

/* The new session's controlling terminal, and the standard fds that faced
 * the caller's terminal now face it. */
static int
take_terminal(const HutchLockdown *l)
{
  if (!l->tty_fds)
    return 0;
  if (ioctl(l->tty_fd, TIOCSCTTY, 0) < 0)
    return errno;
  for (int fd = 0; fd < 3; fd++)
    if (l->tty_fds & (1u << fd) && dup2(l->tty_fd, fd) < 0)
      return errno;
  return 0;
}

#define STEP(expr, name)                                                                           \
  do {                                                                                             \
    int err_ = (expr);                                                                             \
    if (err_) {                                                                                    \
      *step = (name);                                                                              \
      return err_;                                                                                 \
    }                                                                                              \
  } while (0)

static int
errno_of(long rc)
{
  return rc < 0 ? errno : 0;
}

int
hutch_lockdown(const HutchLockdown *l, const char **step)
{
  if (l->new_session)
    STEP(errno_of(setsid()), "new session");
  STEP(take_terminal(l), "take its terminal");
  STEP(hutch_lockdown_keep_fds(l->keep_fds, l->n_keep_fds), "close inherited fds");
  STEP(hutch_lockdown_drop_caps(), "drop capabilities");
  STEP(errno_of(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)), "set no_new_privs");
  STEP(apply_limits(l), "set resource limits");
  sigset_t none;
  sigemptyset(&none);
  STEP(errno_of(sigprocmask(SIG_SETMASK, l->exec_mask ? l->exec_mask : &none, NULL)),
       "reset signal mask");
  if (l->filter) {
    struct sock_fprog prog = {.len = l->filter_len, .filter = (struct sock_filter *)l->filter};
    STEP(errno_of(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)), "load seccomp filter");
  }
  return 0;
}
