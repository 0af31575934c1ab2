/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "plan-tasks.h"
#include "error.h"

typedef struct {
  HutchPlanTaskFunc run;
  gpointer data;
  GThread *thread;
  GError *error;
  gboolean ok;
} Task;

static gpointer
run_task(gpointer p)
{
  Task *t = p;
  t->ok = t->run(t->data, &t->error);
  return NULL;
}

void
hutch_plan_start_task(HutchPlan *plan, HutchPlanTaskFunc run, gpointer data)
{
  Task *t = g_new0(Task, 1);
  t->run = run;
  t->data = data;
  t->thread = g_thread_try_new("hutch-task", run_task, t, NULL);
  if (!t->thread) /* no thread to be had: do it now */
    run_task(t);
  g_ptr_array_add(plan->tasks, t);
}

gboolean
hutch_plan_join_tasks(HutchPlan *plan, GError **error)
{
  gboolean ok = TRUE;
  for (guint i = 0; i < plan->tasks->len; i++) {
    Task *t = plan->tasks->pdata[i];
    if (t->thread)
      g_thread_join(g_steal_pointer(&t->thread));
    if (!t->ok && ok) {
      ok = FALSE;
      g_propagate_error(error, g_steal_pointer(&t->error));
    }
    g_clear_error(&t->error);
    g_free(t);
  }
  g_ptr_array_set_size(plan->tasks, 0);
  return ok;
}

void
hutch_plan_on_child(HutchPlan *plan, HutchPlanChildFunc run, gpointer data)
{
  HutchPlanChildHook hook = {run, data};
  g_array_append_val(plan->child_hooks, hook);
}

gboolean
hutch_plan_run_child_hooks(HutchPlan *plan, pid_t pid, GError **error)
{
  for (guint i = 0; i < plan->child_hooks->len; i++) {
    const HutchPlanChildHook *hook = &g_array_index(plan->child_hooks, HutchPlanChildHook, i);
    if (!hook->run(plan, hook->data, pid, error))
      return FALSE;
  }
  return TRUE;
}
