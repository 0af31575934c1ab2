/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "plan-steps.h"
#include "cgroup.h"
#include "error.h"
#include "reslimit.h"
#include "state.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* The profile keys check ranges; one more rule is the launch's own: the
 * sandbox's init is a process too. */
static gboolean
check_pids(const HutchPolicy *policy, GError **error)
{
  if (policy->limit_pids != 1)
    return TRUE;
  const char *origin = hutch_policy_origin(policy, "pids");
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
              "%s: pids=1 leaves no room for the command, since the sandbox's init counts too; "
              "use 2 or more",
              origin ? origin : "pids");
  return FALSE;
}

static HutchLimitMethod
method_for(guint64 value, guint controllers, HutchCgroupController needed)
{
  if (!value)
    return HUTCH_LIMIT_NONE;
  return (controllers & needed) ? HUTCH_LIMIT_CGROUP : HUTCH_LIMIT_RLIMIT;
}

static void
remove_cgroup(HutchHostResource *res)
{
  g_autoptr(GError) error = NULL;
  if (!hutch_cgroup_remove(res->data, &error))
    g_printerr("hutch: %s\n", error->message);
}

/* The sandbox's cgroup, made now so its limits hold from the first
 * instruction the child runs (clone3 puts the child straight into it). */
static gboolean
create_cgroup(HutchPlan *plan, GError **error)
{
  HutchLimits *l = &plan->limits;
  const HutchPolicy *policy = plan->policy;
  if (!hutch_state_add_cleanup(plan->runtime_dir, "cgroup", l->cgroup, error) ||
      !hutch_cgroup_create(l->cgroup, error))
    return FALSE;
  hutch_plan_add_resource(plan, "cgroup", remove_cgroup, g_strdup(l->cgroup), g_free);
  g_autofree char *mem = g_strdup_printf("%" G_GUINT64_FORMAT, policy->limit_memory);
  g_autofree char *pids = g_strdup_printf("%" G_GUINT64_FORMAT, policy->limit_pids);
  g_autofree char *cpu = g_strdup_printf("%u", policy->limit_cpu_weight);
  if ((l->memory == HUTCH_LIMIT_CGROUP &&
       !hutch_cgroup_write(l->cgroup, "memory.max", mem, error)) ||
      (l->pids == HUTCH_LIMIT_CGROUP && !hutch_cgroup_write(l->cgroup, "pids.max", pids, error)) ||
      (l->cpu == HUTCH_LIMIT_CGROUP && !hutch_cgroup_write(l->cgroup, "cpu.weight", cpu, error)))
    return FALSE;
  l->cgroup_fd = open(l->cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (l->cgroup_fd < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot open the cgroup %s: %s", l->cgroup,
                g_strerror(errno));
    return FALSE;
  }
  return TRUE;
}

static void
add_rlimit(HutchLimits *l, int resource, guint64 value)
{
  HutchRlimit *r = &l->rlimits[l->n_rlimits++];
  r->resource = resource;
  r->value.rlim_cur = r->value.rlim_max = (rlim_t)value;
}

static void
describe(HutchPlan *plan, GString *out)
{
  const HutchPolicy *policy = plan->policy;
  const HutchLimits *l = &plan->limits;
  if (l->memory != HUTCH_LIMIT_NONE) {
    g_autofree char *size = hutch_format_size(policy->limit_memory);
    g_string_append_printf(out, "memory %s by %s\n", size,
                           l->memory == HUTCH_LIMIT_CGROUP
                               ? "cgroup memory.max (no swap)"
                               : "RLIMIT_AS (address space, not resident memory)");
  }
  if (l->pids != HUTCH_LIMIT_NONE)
    g_string_append_printf(out, "processes %" G_GUINT64_FORMAT " by %s\n", policy->limit_pids,
                           l->pids == HUTCH_LIMIT_CGROUP
                               ? "cgroup pids.max"
                               : "RLIMIT_NPROC (processes of your uid in the sandbox)");
  if (l->cpu == HUTCH_LIMIT_CGROUP)
    g_string_append_printf(out, "cpu weight %u by cgroup cpu.weight\n", policy->limit_cpu_weight);
  else if (l->cpu == HUTCH_LIMIT_RLIMIT)
    g_string_append_printf(out, "cpu weight %u by nice %d\n", policy->limit_cpu_weight, l->nice);
}

gboolean
hutch_limits_plan(HutchPlan *plan, GError **error)
{
  const HutchPolicy *policy = plan->policy;
  HutchLimits *l = &plan->limits;
  l->cgroup_fd = -1;
  if (!check_pids(policy, error))
    return FALSE;
  g_auto(HutchCgroupBase) base = {0};
  hutch_cgroup_find_base(&base);
  guint have = base.parent ? base.controllers : 0;
  l->memory = method_for(policy->limit_memory, have, HUTCH_CG_MEMORY);
  l->pids = method_for(policy->limit_pids, have, HUTCH_CG_PIDS);
  l->cpu = method_for(policy->limit_cpu_weight, have, HUTCH_CG_CPU);
  if (l->memory == HUTCH_LIMIT_RLIMIT)
    add_rlimit(l, RLIMIT_AS, policy->limit_memory);
  if (l->pids == HUTCH_LIMIT_RLIMIT)
    add_rlimit(l, RLIMIT_NPROC, policy->limit_pids);
  if (l->cpu == HUTCH_LIMIT_RLIMIT)
    l->nice = hutch_cpu_weight_to_nice(policy->limit_cpu_weight);

  if (base.parent) {
    /* Named for this hutch too: a dead sandbox of the same name may still
     * have its cgroup, which the cleanup of that one removes. */
    l->cgroup = g_strdup_printf("%s/hutch-%s-%s", base.parent, plan->name, hutch_state_self_tag());
    g_autofree char *ctl = hutch_cgroup_controllers_string(base.controllers);
    hutch_plan_note(plan, "cgroup %s (delegated; %s)", l->cgroup, ctl);
    if (plan->runtime_dir && !create_cgroup(plan, error))
      return FALSE;
  } else {
    hutch_plan_note(plan, "cgroup none: %s", base.why);
  }
  l->freeze_method = g_strdup(l->cgroup ? "cgroup" : "signal");
  hutch_plan_note(plan, "freeze by %s",
                  l->cgroup ? "cgroup.freeze" : "SIGSTOP from the sandbox's init");
  g_autoptr(GString) text = g_string_new(NULL);
  describe(plan, text);
  g_auto(GStrv) lines = g_strsplit(text->str, "\n", -1);
  for (char **line = lines; *line; line++)
    if (**line)
      hutch_plan_note(plan, "limit %s", *line);
  if (text->len)
    g_string_truncate(text, text->len - 1);
  l->description = g_string_free(g_steal_pointer(&text), FALSE);
  return TRUE;
}
