/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The seccomp step of the Plan: the filter is ready before any namespace
 * exists, so a bad profile rule or a libseccomp failure stops hutch early,
 * and the child only hands the finished program to the kernel.
 *
 * Without raw syscall rules the filter depends only on three permissions,
 * so it was compiled at build time (seccomp-gen.c); a dry run describes it
 * from the rule table without compiling it (libseccomp's compile was most
 * of a dry run's time). Raw rules are compiled, dry run or not: that is
 * where a bad rule shows. */
#include <stdio.h> /* plan.h uses FILE */
#include "plan-steps.h"
#include "precompiled-seccomp.h"
#include "seccomp-filter.h"

static gboolean
has_raw_rules(const HutchPolicy *policy)
{
  return (policy->syscall_allow && policy->syscall_allow->len) ||
         (policy->syscall_deny && policy->syscall_deny->len);
}

gboolean
hutch_seccomp_plan(HutchPlan *plan, GError **error)
{
  const HutchPolicy *policy = plan->policy;
  if (policy->seccomp_disabled) {
    hutch_plan_note(plan, "no syscall filter (--no-seccomp: for benchmarks only)");
    return TRUE;
  }
  if (!has_raw_rules(policy)) {
    const HutchPrecompiledFilter *pre =
        &hutch_precompiled_filters[hutch_precompiled_combo(policy->perms)];
    plan->seccomp.filter = g_memdup2(pre->filter, pre->len * sizeof(struct sock_filter));
    plan->seccomp.len = pre->len;
    if (policy->dry_run)
      plan->seccomp.description = hutch_seccomp_describe(policy);
    return TRUE;
  }
  return hutch_seccomp_compile(policy, &plan->seccomp, error);
}
