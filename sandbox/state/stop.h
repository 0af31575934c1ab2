/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Stopping a sandbox: SIGTERM to the app (through the sandbox's init), then
 * SIGKILL to the whole sandbox after a timeout. The sandbox's own hutch
 * then returns the app's status and cleans up as on any exit; `hutch stop`
 * and the panel both stop sandboxes this way. */
#pragma once
#include <glib.h>
#include "state.h"

#define HUTCH_STOP_DEFAULT_TIMEOUT_S 10

/* Stop STATE's sandbox, waiting TIMEOUT seconds after SIGTERM before
 * SIGKILL; returns once its hutch has exited. Blocks for up to TIMEOUT
 * plus a few seconds. */
gboolean hutch_state_stop(const HutchState *state, double timeout, GError **error);
