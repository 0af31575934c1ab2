/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Freezing a sandbox: cgroup.freeze when it has its own cgroup, else its
 * init (helpers/hutch-init.c) stops and continues every other process of
 * its pid namespace on SIGRTMIN+1 / SIGRTMIN+2. */
#pragma once
#include <glib.h>
#include "state.h"

/* Must match SIG_FREEZE and SIG_THAW in helpers/hutch-init.c. */
#define HUTCH_SIG_FREEZE (SIGRTMIN + 1)
#define HUTCH_SIG_THAW (SIGRTMIN + 2)

/* Freeze or thaw and wait until every process agrees (at most 5 s). */
gboolean hutch_freeze(const HutchState *state, gboolean frozen, GError **error);
/* The same for `hutch freeze`/`thaw` and the panel: refused (HUTCH_ERROR_FAILED)
 * while the sandbox is still starting or already stopping. */
gboolean hutch_freeze_running(const HutchState *state, gboolean frozen, GError **error);
/* Send SIG to the sandbox's init, making sure the pid is still that init. */
gboolean hutch_signal_init(const HutchState *state, int sig, GError **error);
