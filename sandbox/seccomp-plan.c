/* The seccomp step of the Plan: compile the filter now, in the parent, so a
 * bad profile rule or a libseccomp failure stops hutch before any namespace
 * exists, and the child only has to hand the finished program to the
 * kernel. */
#include <stdio.h> /* plan.h uses FILE */
#include "plan-steps.h"
#include "seccomp.h"

gboolean
hutch_seccomp_plan(HutchPlan *plan, GError **error)
{
  if (plan->policy->seccomp_disabled) {
    hutch_plan_note(plan, "no syscall filter (--no-seccomp: for benchmarks only)");
    return TRUE;
  }
  return hutch_seccomp_compile(plan->policy, &plan->seccomp, error);
}
