/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "supervise.h"
#include "launch.h"
#include "error.h"
#include <errno.h>
#include <sys/wait.h>

static int
exit_code(int status)
{
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return HUTCH_EXIT_FAILURE;
}

int
hutch_supervise(HutchPlan *plan, pid_t init_pid)
{
  sigset_t set;
  hutch_forwarded_signals(&set);
  int status = 0;
  for (;;) {
    siginfo_t info;
    int sig = sigwaitinfo(&set, &info);
    if (sig < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    if (sig != SIGCHLD) {
      /* A terminal's ^C reaches the app directly when it shares our
       * terminal; relaying it as well would deliver it twice. */
      if (plan->new_session || info.si_code != SI_KERNEL)
        kill(init_pid, sig);
      continue;
    }
    pid_t got = waitpid(init_pid, &status, WNOHANG);
    if (got == init_pid)
      break;
  }
  hutch_plan_release(plan);
  return exit_code(status);
}
