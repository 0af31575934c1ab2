/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "reslimit.h"
#include <math.h>
#include <unistd.h>

int
hutch_cpu_weight_to_nice(guint weight)
{
  if (weight == 0 || weight >= 100)
    return 0; /* a larger share than default would need CAP_SYS_NICE */
  int nice = (int)lround(log(100.0 / weight) / log(1.25));
  return CLAMP(nice, 0, 19);
}

void
hutch_limits_clear(HutchLimits *limits)
{
  if (limits->cgroup && limits->cgroup_fd >= 0)
    close(limits->cgroup_fd);
  limits->cgroup_fd = -1;
  g_clear_pointer(&limits->cgroup, g_free);
  g_clear_pointer(&limits->description, g_free);
  g_clear_pointer(&limits->freeze_method, g_free);
}
