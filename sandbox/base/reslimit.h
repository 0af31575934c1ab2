/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Resource limits (memory, number of processes, CPU share) and how the
 * sandbox is frozen: with the sandbox's own cgroup v2 where the user has a
 * delegated one, else with rlimits and nice set by the child and SIGSTOP
 * sent by the sandbox's init. The plan step decides, the child applies. */
#pragma once
#include <glib.h>
#include <sys/resource.h>

typedef enum {
  HUTCH_LIMIT_NONE,
  HUTCH_LIMIT_CGROUP,
  HUTCH_LIMIT_RLIMIT,
} HutchLimitMethod;

typedef struct {
  int resource;
  struct rlimit value;
} HutchRlimit;

typedef struct {
  HutchLimitMethod memory, pids, cpu;
  char *cgroup;  /* the sandbox's cgroup (host path); NULL: none */
  int cgroup_fd; /* open on it for clone3(CLONE_INTO_CGROUP); valid when cgroup is set */
  HutchRlimit rlimits[2];
  int n_rlimits;
  int nice;            /* set by the child when cpu is HUTCH_LIMIT_RLIMIT */
  char *description;   /* one line per limit, for --dry-run, info and the state */
  char *freeze_method; /* "cgroup" or "signal" */
} HutchLimits;

/* cpu.weight (1..10000, 100 = default) to the nice value an unprivileged
 * process can take (0..19): each nice step is a factor 1.25 in CFS weight. */
int hutch_cpu_weight_to_nice(guint weight);
void hutch_limits_clear(HutchLimits *limits);
