/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch stop NAME: SIGTERM to the app (through the sandbox's init), then
 * SIGKILL to the whole sandbox after the timeout. `hutch run` then returns
 * the app's status and cleans up as on any exit. */
#include "cmd-common.h"
#include "commands.h"
#include "error.h"
#include "freeze.h"
#include "procinfo.h"
#include "state.h"
#include "usage.h"
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#define DEFAULT_TIMEOUT_S 10
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
  int fd = open(marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
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

static gboolean
stop(const HutchState *st, double timeout, GError **error)
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

int
hutch_cmd_stop(int argc, char **argv, GError **error)
{
  double timeout = DEFAULT_TIMEOUT_S;
  GOptionEntry entries[] = {
      {"timeout", 't', 0, G_OPTION_ARG_DOUBLE, &timeout,
       "Seconds to wait after SIGTERM before SIGKILL (default 10)", "S"},
      {NULL},
  };
  const char *name;
  if (!hutch_cmd_parse("NAME", "Stop a running sandbox: SIGTERM, then SIGKILL.", entries, &argc,
                       &argv, error) ||
      !hutch_cmd_one_name(argc, argv, &name, error))
    return -1;
  if (!(timeout >= 0) || timeout > 86400) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "--timeout %g: use a number of seconds from 0 to 86400", timeout);
    return -1;
  }
  g_autoptr(HutchState) st = hutch_state_find(name, error);
  if (!st)
    return -1;
  return stop(st, timeout, error) ? 0 : -1;
}
