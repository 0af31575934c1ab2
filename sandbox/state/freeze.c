/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "freeze.h"
#include "cgroup.h"
#include "error.h"
#include "procinfo.h"
#include "usage.h"
#include <errno.h>
#include <signal.h>

#define WAIT_MS 5000
#define RESEND_MS 100

gboolean
hutch_signal_init(const HutchState *state, int sig, GError **error)
{
  if (!hutch_proc_alive(state->init_pid, state->init_start)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_NOT_FOUND, "sandbox %s has no running init",
                state->name);
    return FALSE;
  }
  if (kill(state->init_pid, sig) < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot signal sandbox %s (pid %d): %s",
                state->name, (int)state->init_pid, g_strerror(errno));
    return FALSE;
  }
  return TRUE;
}

static HutchSandboxState
current_state(const HutchState *state)
{
  g_autofree HutchUsage *usage = hutch_usage_measure_one(state);
  return usage[0].state;
}

/* kill(-1) from init reaches every process that exists when it runs; one
 * forked at that moment may escape it, so repeat until all agree. */
static gboolean
freeze_by_signals(const HutchState *state, gboolean frozen, GError **error)
{
  int sig = frozen ? HUTCH_SIG_FREEZE : HUTCH_SIG_THAW;
  for (int ms = 0; ms < WAIT_MS; ms += 10) {
    if (ms % RESEND_MS == 0 && !hutch_signal_init(state, sig, error))
      return FALSE;
    g_usleep(10000);
    if ((current_state(state) == HUTCH_SB_FROZEN) == frozen)
      return TRUE;
  }
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "sandbox %s: some processes did not %s within %d seconds", state->name,
              frozen ? "stop" : "continue", WAIT_MS / 1000);
  return FALSE;
}

gboolean
hutch_freeze(const HutchState *state, gboolean frozen, GError **error)
{
  if (state->cgroup)
    return hutch_cgroup_set_frozen(state->cgroup, frozen, error);
  return freeze_by_signals(state, frozen, error);
}

gboolean
hutch_freeze_running(const HutchState *state, gboolean frozen, GError **error)
{
  HutchSandboxState phase = hutch_state_phase(state);
  if (phase != HUTCH_SB_RUNNING) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_FAILED, "sandbox %s is %s; try again later",
                state->name, phase == HUTCH_SB_STARTING ? "still starting" : "stopping");
    return FALSE;
  }
  return hutch_freeze(state, frozen, error);
}
