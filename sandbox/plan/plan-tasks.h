/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Plan tasks: host work that waits on a server (the sound server loading a
 * module, the X server making a cookie) runs on its own thread while the
 * sandbox is built, and the app starts only once every task is done. The
 * plan step decides everything the child needs (binds, files, variables)
 * beforehand; a task only fills in what the server answers, in places the
 * plan already made: a file it writes in place, a directory it binds.
 *
 * A task touches only its DATA, never the plan: the plan step registers
 * the host resource that releases DATA before it starts the task, and
 * hutch_plan_release joins the tasks before releasing anything. */
#pragma once
#include "plan.h"

typedef gboolean (*HutchPlanTaskFunc)(gpointer data, GError **error);

void hutch_plan_start_task(HutchPlan *plan, HutchPlanTaskFunc run, gpointer data);
/* Wait for every task; FALSE with the first task's error. */
gboolean hutch_plan_join_tasks(HutchPlan *plan, GError **error);

/* Host work that needs the sandbox's pid (a helper that joins its
 * namespaces, like pasta): RUN is called by the launch on the main thread
 * once the child exists and its ids are mapped, before the child may run
 * the app; it may start tasks the app then waits for. A failure stops the
 * launch. The plan step registers what releases DATA beforehand. */
typedef gboolean (*HutchPlanChildFunc)(HutchPlan *plan, gpointer data, pid_t pid, GError **error);
typedef struct {
  HutchPlanChildFunc run;
  gpointer data;
} HutchPlanChildHook;

void hutch_plan_on_child(HutchPlan *plan, HutchPlanChildFunc run, gpointer data);
/* Run the hooks in order; FALSE with the first one's error. */
gboolean hutch_plan_run_child_hooks(HutchPlan *plan, pid_t pid, GError **error);
