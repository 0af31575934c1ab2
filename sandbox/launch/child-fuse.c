/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Child side: start fuse-overlayfs while the host's tree is still the
 * root, so its binary and libraries resolve as on the host. It daemonizes
 * once the mount is up; the daemon stays in the sandbox's pid namespace and
 * dies with it. Raw syscalls only, like the rest of the child. */
#include "child.h"
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>

/* fuse-overlayfs must mount and create files for any owner, but run as
 * the user: owned by the user, its mount needs no allow_other for the app
 * to use it. Capabilities survive the exec of a non-root uid only as
 * ambient ones, which must first be inheritable. */
static int
keep_caps_across_exec(void)
{
  struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2];
  if (syscall(SYS_capget, &hdr, data) < 0)
    return -1;
  data[0].inheritable = data[0].permitted;
  data[1].inheritable = data[1].permitted;
  if (syscall(SYS_capset, &hdr, data) < 0)
    return -1;
  for (int cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0);
  return 0;
}

static G_GNUC_NORETURN void
exec_fuse_overlayfs(const HutchOp *op)
{
  /* Only what fuse-overlayfs needs: the user's --pass-fd descriptors must
   * not stay open in a daemon that outlives the app's use of them. */
  syscall(SYS_close_range, 3, ~0U, 0);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  if (keep_caps_across_exec() < 0)
    _exit(126);
  char *const argv[] = {"fuse-overlayfs", "-o", (char *)op->data, (char *)op->dest, NULL};
  char *const envp[] = {"PATH=/usr/local/bin:/usr/bin:/bin", NULL};
  execve(op->src, argv, envp);
  _exit(127);
}

int
hutch_child_fuse_overlay(const HutchOp *op)
{
  int err = hutch_child_mkdir_p(op->dest, 0755);
  if (err)
    return err;
  pid_t pid = fork();
  if (pid < 0)
    return errno;
  if (pid == 0)
    exec_fuse_overlayfs(op);
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return errno;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return 0;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
    return ENOEXEC;
  return WIFEXITED(status) && WEXITSTATUS(status) == 126 ? EPERM : EIO;
}
