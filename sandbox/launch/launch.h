/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Launch: clone the child into its namespaces, map its ids, let it run the
 * plan, and learn whether it reached the init helper. */
#pragma once
#include <glib.h>
#include <signal.h>
#include "mapped-clone.h"
#include "lockdown.h"
#include "plan.h"

/* hutch_forwarded_signals: lockdown.h. */

/* Start the sandbox; on success *pid is the init helper's host pid. On
 * failure nothing of the sandbox remains (the child is reaped). */
typedef void (*HutchDuringSetup)(HutchPlan *plan, pid_t pid);
/* DURING_SETUP, when given, runs in the parent while the child builds the
 * sandbox (its pid and namespaces exist by then), so host-side bookkeeping
 * overlaps the child's work instead of adding to the launch time. */
gboolean hutch_launch(HutchPlan *plan, HutchDuringSetup during_setup, pid_t *pid, GError **error);

/* hutch_launch in two halves, for a sandbox whose build should overlap
 * other work (the D-Bus proxy's, beside the app's): START clones the child
 * and maps its ids, and must run on the thread whose exit the child's
 * parent-death signal should follow (the main one); FINISH waits for the
 * plan's tasks and the child's exec, and may run on any thread. On
 * failure either leaves nothing of the child. */
gboolean hutch_launch_start(HutchPlan *plan, HutchMappedChild *child, GError **error);
gboolean hutch_launch_finish(HutchPlan *plan, HutchMappedChild *child, pid_t *pid, GError **error);
