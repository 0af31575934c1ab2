/* Launch: clone the child into its namespaces, map its ids, let it run the
 * plan, and learn whether it reached the init helper. */
#pragma once
#include <glib.h>
#include <signal.h>
#include "plan.h"

/* The signals hutch forwards to the sandbox (and blocks for itself). */
void hutch_forwarded_signals(sigset_t *set);

/* Start the sandbox; on success *pid is the init helper's host pid. On
 * failure nothing of the sandbox remains (the child is reaped). */
gboolean hutch_launch(HutchPlan *plan, pid_t *pid, GError **error);
