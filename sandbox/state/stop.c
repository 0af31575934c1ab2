/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "stop.h"
#include "error.h"
#include "freeze.h"
#include "procinfo.h"
#include "usage.h"
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

/* After SIGKILL, how long hutch may take to notice and clean up. */
#define CLEANUP_WAIT_S 10

static gboolean
wait_hutch_gone(const HutchState *st, double seconds)
{
  gint64 deadline = g_get_monotonic_time() + (gint64)(seconds * G_USEC_PER_SEC);
  while (hutch_state_alive(st)) {
    if (g_get_monotonic_time() >= deadline)
      return FALSE;
    g_usleep(10000);
  }
  return TRUE;
}

static void
mark_stopping(const HutchState *st)
{
  g_autofree char *marker = g_build_filename(st->dir, "stopping", NULL);
  int fd = open(marker, O_WRONLY | O_CREAT | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd >= 0)
    close(fd);
}

/* A frozen app cannot act on SIGTERM (and with a cgroup, neither can init). */
static void
thaw_if_frozen(const HutchState *st)
{
  g_autofree HutchUsage *u = hutch_usage_measure_one(st);
  if (u[0].state == HUTCH_SB_FROZEN)
    hutch_freeze(st, FALSE, NULL);
}

gboolean
hutch_state_stop(const HutchState *st, double timeout, GError **error)
{
  mark_stopping(st);
  if (st->init_pid) {
    thaw_if_frozen(st);
    if (!hutch_signal_init(st, SIGTERM, error))
      return FALSE;
    if (wait_hutch_gone(st, timeout))
      return TRUE;
    /* init is pid 1 of the sandbox: SIGKILL on it ends every process inside. */
    if (hutch_proc_alive(st->init_pid, st->init_start))
      kill(st->init_pid, SIGKILL);
  } else {
    /* Still starting: SIGTERM ends the launch (interrupt.h), or reaches
     * the command once it is about to run. */
    kill(st->hutch_pid, SIGTERM);
    if (wait_hutch_gone(st, timeout))
      return TRUE;
    kill(st->hutch_pid, SIGKILL);
  }
  if (wait_hutch_gone(st, CLEANUP_WAIT_S))
    return TRUE;
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "sandbox %s was killed but its hutch (pid %d) has not exited", st->name,
              (int)st->hutch_pid);
  return FALSE;
}
