#include "launch.h"
#include "cgroup.h"
#include "child.h"
#include "error.h"
#include "idmap.h"
#include "userns-blocker.h"
#include "overlay.h"
#include "pipe-write.h"
#include "plan-tasks.h"
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

void
hutch_forwarded_signals(sigset_t *set)
{
  sigemptyset(set);
  int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGCHLD, SIGWINCH};
  for (gsize i = 0; i < G_N_ELEMENTS(sigs); i++)
    sigaddset(set, sigs[i]);
}

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

/* The sandbox's cgroup, when it has one: clone3(CLONE_INTO_CGROUP) (Linux
 * 5.7) starts the child inside it; on older kernels the child is moved in
 * before it is let go, which *moved says the caller must do. */
static pid_t
clone_child(const HutchPlan *plan, gboolean *move)
{
  int flags = plan->clone_flags;
  *move = FALSE;
  if (hutch_child_late_cgroupns(plan))
    flags &= ~CLONE_NEWCGROUP;
  if (plan->limits.cgroup) {
    struct {
      guint64 flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
          set_tid_size, cgroup;
    } args = {
        .flags = (guint64)(unsigned)flags | HUTCH_CLONE_INTO_CGROUP,
        .exit_signal = SIGCHLD,
        .cgroup = (guint64)plan->limits.cgroup_fd,
    };
    pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
    if (pid >= 0 || (errno != ENOSYS && errno != E2BIG && errno != EINVAL))
      return pid;
    *move = TRUE;
  }
  return (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
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

static void
reap(pid_t pid)
{
  kill(pid, SIGKILL);
  while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
    ;
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
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "sandbox setup failed to %s: %s", e->step,
              g_strerror(e->err));
}

gboolean
hutch_launch(HutchPlan *plan, HutchDuringSetup during_setup, pid_t *pid_out, GError **error)
{
  int sync_pipe[2], err_pipe[2];
  if (pipe2(sync_pipe, O_CLOEXEC) < 0 || pipe2(err_pipe, O_CLOEXEC) < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "pipe: %s", g_strerror(errno));
    return FALSE;
  }
  gboolean move;
  pid_t pid = clone_child(plan, &move);
  if (pid == 0) {
    close(sync_pipe[1]);
    close(err_pipe[0]);
    hutch_child_run(plan, sync_pipe[0], err_pipe[1]);
  }
  int clone_errno = errno;
  close(sync_pipe[0]);
  close(err_pipe[1]);
  if (pid < 0) {
    close(sync_pipe[1]);
    close(err_pipe[0]);
    explain_clone_failure(clone_errno, error);
    return FALSE;
  }

  if ((move && !move_to_cgroup(plan, pid, error)) || !hutch_idmap_apply(&plan->idmap, pid, error)) {
    close(sync_pipe[1]);
    close(err_pipe[0]);
    reap(pid);
    if (!move || !g_str_has_prefix((*error)->message, "cannot move"))
      g_prefix_error(error, "cannot map user ids: ");
    return FALSE;
  }
  gboolean ok = hutch_pipe_write(sync_pipe[1], "x", 1);
  /* A late cgroup namespace does not exist yet: its id would be wrong. */
  if (ok && during_setup && !hutch_child_late_cgroupns(plan))
    during_setup(plan, pid);
  /* The child builds the sandbox meanwhile, and waits for this go. */
  g_autoptr(GError) task_error = NULL;
  if (ok && plan->await_go)
    ok = hutch_plan_join_tasks(plan, &task_error) && hutch_pipe_write(sync_pipe[1], "g", 1);
  close(sync_pipe[1]);

  HutchChildError e;
  ssize_t n;
  do
    n = read(err_pipe[0], &e, sizeof(e));
  while (n < 0 && errno == EINTR);
  close(err_pipe[0]);
  if (n == 0 && ok) {
    *pid_out = pid;
    return TRUE;
  }
  reap(pid);
  if (task_error)
    g_propagate_error(error, g_steal_pointer(&task_error));
  else if (n == (ssize_t)sizeof(e))
    report_child_error(plan, &e, error);
  else
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "the sandbox died while it was set up");
  return FALSE;
}
