/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "launch.h"
#include "cgroup.h"
#include "child.h"
#include "error.h"
#include "idmap.h"
#include "interrupt.h"
#include "userns-blocker.h"
#include "overlay.h"
#include "mapped-clone.h"
#include "plan-tasks.h"
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Say why the kernel refused a user namespace, naming the knob to change. */
static void
explain_clone_failure(int err, GError **error)
{
  const char *why = hutch_userns_blocker();
  if (!why && err == ENOSPC)
    why = "the limit of user namespaces is reached (user.max_user_namespaces)";
  else if (!why && err == EINVAL)
    why = "this kernel lacks a namespace type hutch needs (run 'hutch check')";
  else if (!why)
    why = "run 'hutch check' to see what this system lacks";
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "cannot create the sandbox's namespaces: %s; %s", g_strerror(err), why);
}

static gboolean
move_to_cgroup(const HutchPlan *plan, pid_t pid, GError **error)
{
  g_autofree char *value = g_strdup_printf("%d", (int)pid);
  if (!hutch_cgroup_write(plan->limits.cgroup, "cgroup.procs", value, error)) {
    g_prefix_error(error, "cannot move the sandbox into its cgroup: ");
    return FALSE;
  }
  return TRUE;
}

static const char *
op_verb(HutchOpType type)
{
  switch (type) {
  case HUTCH_OP_SYMLINK:
    return "create symlink";
  case HUTCH_OP_MKDIR:
    return "create directory";
  case HUTCH_OP_REMOUNT_RO:
    return "make read-only";
  case HUTCH_OP_TMPFS:
    return "mount tmpfs on";
  case HUTCH_OP_PROC:
    return "mount proc on";
  case HUTCH_OP_DEVPTS:
    return "mount devpts on";
  case HUTCH_OP_MQUEUE:
    return "mount mqueue on";
  case HUTCH_OP_OVERLAY:
    return "mount overlay on";
  case HUTCH_OP_FUSE_OVERLAY:
    return "mount fuse-overlayfs for";
  case HUTCH_OP_BIND:
    return "bind";
  }
  return "set up";
}

static void
report_child_error(const HutchPlan *plan, const HutchChildError *e, GError **error)
{
  guint pre = (guint)e->op_index - plan->ops->len;
  if (e->op_index >= 0 && (guint)e->op_index >= plan->ops->len && pre < plan->pre_ops->len) {
    const HutchOp *op = &g_array_index(plan->pre_ops, HutchOp, pre);
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "%s: cannot %s %s: %s%s", op->why,
                op_verb(op->type), op->show_dest, g_strerror(e->err),
                op->type == HUTCH_OP_FUSE_OVERLAY
                    ? " (fuse-overlayfs failed; its messages are above)"
                    : "");
    return;
  }
  if (e->op_index >= 0 && (guint)e->op_index < plan->ops->len) {
    const HutchOp *op = &g_array_index(plan->ops, HutchOp, e->op_index);
    if (op->type == HUTCH_OP_BIND)
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "%s: cannot bind %s at %s: %s%s", op->why,
                  op->show_src, op->show_dest, g_strerror(e->err),
                  e->err == ELOOP || e->err == EXDEV
                      ? " (a symlink appeared on the path since it was checked)"
                  : e->err == EROFS ? " (the mount point would have to be created inside a "
                                      "read-only directory; choose a path outside it)"
                                    : "");
    else if (op->type == HUTCH_OP_OVERLAY)
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "%s: cannot overlay %s: %s (%s)", op->why,
                  op->show_dest, g_strerror(e->err), hutch_overlay_errno_hint(e->err));
    else
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "%s: cannot %s %s: %s%s", op->why,
                  op_verb(op->type), op->show_dest, g_strerror(e->err),
                  e->err == EROFS ? " (the mount point would have to be created inside a "
                                    "read-only directory; choose a path outside it)"
                                  : "");
    return;
  }
  if (g_str_equal(e->step, "chdir") && plan->chdir) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "--chdir %s: %s inside the sandbox (grant the directory with --ro or --rw, or "
                "choose one the sandbox has)",
                plan->chdir, g_strerror(e->err));
    return;
  }
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "sandbox setup failed to %s: %s", e->step,
              g_strerror(e->err));
}

static void
run_child(void *plan, int go_fd, int err_fd)
{
  hutch_child_run(plan, go_fd, err_fd);
}

/* The command's last go is near: from here on a signal is relayed to the
 * command (supervise.c) rather than ending the launch, unless one came. */
static gboolean
go_ahead(GError **error)
{
  int sig = hutch_interrupt_stop();
  if (!sig)
    return TRUE;
  hutch_interrupt_error(sig, error);
  return FALSE;
}

gboolean
hutch_launch_start(HutchPlan *plan, HutchMappedChild *child, GError **error)
{
  if (!hutch_interrupt_check(error))
    return FALSE;
  int flags = plan->clone_flags;
  /* A late cgroup namespace is made by the child, once inside its cgroup. */
  if (hutch_child_late_cgroupns(plan))
    flags &= ~CLONE_NEWCGROUP;
  gboolean in_cgroup = FALSE;
  *child = (HutchMappedChild)HUTCH_MAPPED_CHILD_INIT;
  int err = hutch_mapped_clone(flags, plan->limits.cgroup ? plan->limits.cgroup_fd : -1, run_child,
                               plan, child, &in_cgroup);
  if (err) {
    explain_clone_failure(err, error);
    return FALSE;
  }
  if (plan->limits.cgroup && !in_cgroup && !move_to_cgroup(plan, child->pid, error)) {
    hutch_mapped_child_reap(child);
    return FALSE;
  }
  /* Helpers that join the child's namespaces (pasta) start now, so their
   * start overlaps the id mapping and the child's setup; as the namespaces'
   * owner they may join before the maps exist. */
  if (!hutch_plan_run_child_hooks(plan, child->pid, error)) {
    hutch_mapped_child_reap(child);
    return FALSE;
  }
  /* Without host work to wait for, the first go is the command's. */
  if (!plan->await_go && !go_ahead(error)) {
    hutch_mapped_child_reap(child);
    return FALSE;
  }
  if (!hutch_mapped_child_map(child, &plan->idmap, error)) {
    hutch_mapped_child_reap(child);
    g_prefix_error(error, "cannot map user ids: ");
    return FALSE;
  }
  return TRUE;
}

gboolean
hutch_launch_finish(HutchPlan *plan, HutchMappedChild *child, pid_t *pid_out, GError **error)
{
  /* The app waits for a second go: the host work it needs is done. */
  g_autoptr(GError) task_error = NULL;
  gboolean ok = TRUE;
  if (plan->await_go)
    ok = hutch_plan_join_tasks(plan, &task_error) && go_ahead(&task_error) &&
         hutch_mapped_child_go(child, 'g');

  HutchChildError e;
  gssize n = hutch_mapped_child_result(child, &e, sizeof(e));
  if (n == 0 && ok) {
    *pid_out = child->pid;
    plan->started = TRUE;
    return TRUE;
  }
  hutch_mapped_child_reap(child);
  if (task_error)
    g_propagate_error(error, g_steal_pointer(&task_error));
  else if (n == (gssize)sizeof(e))
    report_child_error(plan, &e, error);
  else
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "the sandbox died while it was set up");
  return FALSE;
}

gboolean
hutch_launch(HutchPlan *plan, HutchDuringSetup during_setup, pid_t *pid_out, GError **error)
{
  HutchMappedChild child;
  if (!hutch_launch_start(plan, &child, error))
    return FALSE;
  /* The child builds the sandbox meanwhile; the record is made beside it. */
  if (during_setup && !hutch_child_late_cgroupns(plan) && !child.lost)
    during_setup(plan, child.pid);
  return hutch_launch_finish(plan, &child, pid_out, error);
}
