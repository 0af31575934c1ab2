/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "child.h"
#include "lockdown.h"
#include "mapped-clone.h"
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/seccomp.h>

static G_GNUC_NORETURN void
fail(int err_fd, int op_index, const char *step, int err)
{
  HutchChildError e = {.err = err, .op_index = op_index};
  strncpy(e.step, step, sizeof(e.step) - 1);
  ssize_t n G_GNUC_UNUSED = write(err_fd, &e, sizeof(e));
  _exit(125);
}

#define CHECK(expr, step)                                                                          \
  do {                                                                                             \
    if ((expr) < 0)                                                                                \
      fail(err_fd, -1, step, errno);                                                               \
  } while (0)

/* Ops that need the host's tree as it is, before the scratch root covers
 * HUTCH_BASE_DIR (fuse-overlayfs runs host binaries on host paths); their
 * errors are reported with indexes past the main ops. */
static void
run_pre_ops(const HutchPlan *plan, int err_fd)
{
  for (guint i = 0; i < plan->pre_ops->len; i++) {
    int err = hutch_child_run_op(&g_array_index(plan->pre_ops, HutchOp, i));
    if (err)
      fail(err_fd, (int)(plan->ops->len + i), "", err);
  }
}

/* Pivot into a private tmpfs first, so host paths stay reachable under
 * /oldroot while /newroot is assembled, and the host /tmp is never used. */
static void
enter_scratch_root(const HutchPlan *plan, int err_fd)
{
  CHECK(mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL), "make / a slave mount");
  run_pre_ops(plan, err_fd);
  /* Sized: the writable tmpfs ops are directories of it (scratch.c). */
  CHECK(mount("tmpfs", HUTCH_BASE_DIR, "tmpfs", MS_NODEV | MS_NOSUID, plan->scratch_options),
        "mount scratch tmpfs");
  CHECK(chdir(HUTCH_BASE_DIR), "enter scratch tmpfs");
  CHECK(mkdir("." HUTCH_NEWROOT, 0755), "mkdir newroot");
  CHECK(mkdir("." HUTCH_OLDROOT, 0755), "mkdir oldroot");
  CHECK(syscall(SYS_pivot_root, HUTCH_BASE_DIR, "." HUTCH_OLDROOT), "pivot_root to scratch");
  CHECK(chdir("/"), "chdir /");
  CHECK(mount("tmpfs", HUTCH_NEWROOT, "tmpfs", MS_NODEV | MS_NOSUID, HUTCH_NEWROOT_OPTIONS),
        "mount new root tmpfs");
}

/* Drop the host's tree for good: detach it, then pivot onto the new root
 * over itself and detach the scratch tmpfs underneath. */
static void
leave_old_root(int err_fd)
{
  CHECK(umount2(HUTCH_OLDROOT, MNT_DETACH), "detach old root");
  CHECK(chdir(HUTCH_NEWROOT), "enter new root");
  CHECK(syscall(SYS_pivot_root, ".", "."), "pivot_root to new root");
  CHECK(umount2(".", MNT_DETACH), "detach scratch root");
  CHECK(chdir("/"), "chdir /");
}

/* Before the mounts, while the host's /proc is still the child's: its
 * /proc/sys/net is this namespace's, and writable with the namespace's
 * capabilities (the sandbox's own /proc/sys is read-only). */
static void
set_up_network(const HutchPlan *plan, int err_fd)
{
  if (!plan->loopback)
    return;
  int err = hutch_child_loopback_up();
  if (err)
    fail(err_fd, -1, "bring up loopback", err);
  err = hutch_child_netlink(plan->netlink->data, plan->netlink->len);
  if (err)
    fail(err_fd, -1, "add the network rules", err);
  /* Best effort: a host whose /proc/sys is read-only (a container) only
   * loses unprivileged ping. */
  if (plan->ping_group_range)
    hutch_child_ping_range(plan->ping_group_range);
}

static void
enter_workdir(const HutchPlan *plan, int err_fd)
{
  if (plan->chdir && chdir(plan->chdir) == 0)
    return;
  if (plan->chdir_strict)
    fail(err_fd, -1, "chdir", errno);
  CHECK(chdir(plan->home), "chdir home");
}

void
hutch_child_run(const HutchPlan *plan, int sync_fd, int err_fd)
{
  /* The sandbox must not outlive hutch, even when hutch is SIGKILLed. */
  CHECK(prctl(PR_SET_PDEATHSIG, SIGKILL), "set parent-death signal");
  /* hutch's locks are hutch's: held here too, they would outlast a killed
   * hutch by as long as this child takes to die. */
  for (guint i = 0; i < plan->held_fds->len; i++)
    close(g_array_index(plan->held_fds, int, i));
  if (!hutch_mapped_child_wait(sync_fd))
    _exit(125); /* the parent failed to map our ids, or died: it reports */

  if (hutch_child_late_cgroupns(plan))
    CHECK(unshare(CLONE_NEWCGROUP), "create the cgroup namespace");
  set_up_network(plan, err_fd);
  enter_scratch_root(plan, err_fd);
  for (guint i = 0; i < plan->ops->len; i++) {
    int err = hutch_child_run_op(&g_array_index(plan->ops, HutchOp, i));
    if (err)
      fail(err_fd, (int)i, "", err);
  }
  leave_old_root(err_fd);

  if (plan->hostname)
    CHECK(sethostname(plan->hostname, strlen(plan->hostname)), "set hostname");
  enter_workdir(plan, err_fd);
  for (int fd = 0; fd < 3; fd++)
    if (plan->stdio_null_mask & (1u << fd))
      CHECK(dup2(fd > 0 && plan->stdio_log_fd >= 0 ? plan->stdio_log_fd : plan->stdio_null_fd, fd),
            "put /dev/null or the log on stdio");

  /* The host work the app needs (a sound-server socket, an X cookie) is
   * done, or the parent closes the pipe and reports why. */
  if (plan->await_go && !hutch_mapped_child_wait(sync_fd))
    _exit(125);
  sigset_t relayed;
  hutch_forwarded_signals(&relayed);
  HutchLockdown lockdown = {
      .new_session = plan->new_session,
      .keep_fds = (const int *)plan->keep_fds->data,
      .n_keep_fds = plan->keep_fds->len,
      .rlimits = plan->limits.rlimits,
      .n_rlimits = plan->limits.n_rlimits,
      .set_nice = plan->limits.nice != 0,
      .nice = plan->limits.nice,
      .filter = plan->seccomp.filter,
      .filter_len = plan->seccomp.len,
      .exec_mask = &relayed,
  };
  const char *step = "";
  int err = hutch_lockdown(&lockdown, &step);
  if (err)
    fail(err_fd, -1, step, err);
  syscall(SYS_execveat, plan->init_fd, "", plan->argv, plan->envp, AT_EMPTY_PATH);
  fail(err_fd, -1, "execute the init helper", errno);
}
