/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Supervise: forward signals to the sandbox's init, wait for it, undo the
 * plan's host resources on the way out, and return the app's exit status. */
#pragma once
#include "plan.h"

int hutch_supervise(HutchPlan *plan, pid_t init_pid);
