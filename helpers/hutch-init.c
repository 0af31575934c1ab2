/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch-init: pid 1 inside the sandbox. It starts the app, forwards the
 * signals hutch relays, reaps every orphan, freezes and thaws the sandbox
 * on request, and exits with the app's status (128+N when killed by N). */
#include "escape.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Real-time signals hutch freeze/thaw send when no cgroup freezer is
 * delegated; the app never sees them. */
#define SIG_FREEZE (SIGRTMIN + 1)
#define SIG_THAW (SIGRTMIN + 2)

static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};

static void
noop(int sig)
{
  (void)sig;
}

/* pid 1 receives a signal from outside its namespace only when it has a
 * handler, so install one even though signals are taken with sigwaitinfo. */
static void
take_signals(sigset_t *set)
{
  sigemptyset(set);
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = noop;
  for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++) {
    sigaddset(set, forwarded[i]);
    sigaction(forwarded[i], &sa, NULL);
  }
  sigaddset(set, SIGCHLD);
  sigaddset(set, SIG_FREEZE);
  sigaddset(set, SIG_THAW);
  sigaction(SIGCHLD, &sa, NULL);
  sigaction(SIG_FREEZE, &sa, NULL);
  sigaction(SIG_THAW, &sa, NULL);
  sigprocmask(SIG_BLOCK, set, NULL);
}

static void
exec_app(char **argv)
{
  sigset_t none;
  sigemptyset(&none);
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; sig++)
    sigaction(sig, &sa, NULL);
  sigprocmask(SIG_SETMASK, &none, NULL);
  execvp(argv[0], argv);
  int err = errno;
  char name[1024];
  hutch_escape_buf(name, sizeof(name), argv[0]);
  if (err == ENOENT)
    fprintf(stderr, "hutch: %s: command not found inside the sandbox\n", name);
  else
    fprintf(stderr, "hutch: %s: cannot execute: %s\n", name, strerror(err));
  _exit(err == ENOENT ? 127 : 126);
}

static int
status_code(int status)
{
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return 1;
}

int
main(int argc, char **argv)
{
  int first = 1;
  while (first < argc && strcmp(argv[first], "--") != 0)
    first++;
  if (first + 1 >= argc) {
    fprintf(stderr, "hutch-init: usage: hutch-init -- COMMAND [ARG...]\n");
    return 125;
  }
  sigset_t set;
  take_signals(&set);
  pid_t app = fork();
  if (app < 0) {
    perror("hutch-init: fork");
    return 125;
  }
  if (app == 0)
    exec_app(argv + first + 1);

  for (;;) {
    siginfo_t info;
    int sig = sigwaitinfo(&set, &info);
    if (sig < 0)
      continue;
    if (sig == SIG_FREEZE || sig == SIG_THAW) {
      /* kill(-1) from pid 1 reaches every other process of the namespace. */
      kill(-1, sig == SIG_FREEZE ? SIGSTOP : SIGCONT);
      continue;
    }
    if (sig != SIGCHLD) {
      /* Signals from the terminal (SI_KERNEL) already reached the app's
       * process group; only relay what hutch or a user sent to us. */
      if (info.si_code != SI_KERNEL)
        kill(app, sig);
      continue;
    }
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
      if (pid == app)
        return status_code(status);
  }
}
