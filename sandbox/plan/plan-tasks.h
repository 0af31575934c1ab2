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
