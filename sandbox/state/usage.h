/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a running sandbox is doing: its processes (everything in its pid
 * namespace, and below its init when an app nests namespaces of its own),
 * their CPU time and memory, and whether they are frozen. One /proc scan
 * serves any number of sandboxes, so `hutch ls` stays fast. */
#pragma once
#include <glib.h>
#include "state.h"

typedef struct {
  HutchSandboxState state;
  double cpu_seconds;  /* all CPU the sandbox used, including ended processes */
  gint64 memory_bytes; /* memory.current with a cgroup, else summed RSS */
  guint nprocs;
  double uptime_seconds;
} HutchUsage;

/* One HutchUsage per element of STATES (HutchState*), in order. */
HutchUsage *hutch_usage_measure(GPtrArray *states);
/* The same for one sandbox (free the result with g_free). */
HutchUsage *hutch_usage_measure_one(const HutchState *state);
/* The host pids of the sandbox's processes, init first. */
GArray *hutch_usage_pids(const HutchState *state);
const char *hutch_sandbox_state_name(HutchSandboxState state);
/* "42s", "3m12s", "2h05m", "3d04h". */
char *hutch_format_duration(double seconds);
