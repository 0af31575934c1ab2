/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mapped-clone.h"
#include "pipe-write.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define HUTCH_CLONE_INTO_CGROUP 0x200000000ULL

static void
close_fd(int *fd)
{
  if (*fd >= 0)
    close(*fd);
  *fd = -1;
}

/* clone3 into the cgroup where the kernel has it (Linux 5.7), else a
 * plain clone that the caller moves in before letting it go. */
static pid_t
clone_into(int flags, int cgroup_fd, gboolean *in_cgroup)
{
  *in_cgroup = FALSE;
  if (cgroup_fd >= 0) {
    struct {
      guint64 flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
          set_tid_size, cgroup;
    } args = {
        .flags = (guint64)(unsigned)flags | HUTCH_CLONE_INTO_CGROUP,
        .exit_signal = SIGCHLD,
        .cgroup = (guint64)cgroup_fd,
    };
    pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
    if (pid >= 0 || (errno != ENOSYS && errno != E2BIG && errno != EINVAL)) {
      *in_cgroup = pid >= 0;
      return pid;
    }
  }
  return (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
}

int
hutch_mapped_clone(int flags, int cgroup_fd, HutchMappedChildFn fn, void *data,
                   HutchMappedChild *child, gboolean *in_cgroup)
{
  int go[2], err[2];
  if (pipe2(go, O_CLOEXEC) < 0)
    return errno;
  if (pipe2(err, O_CLOEXEC) < 0) {
    int e = errno;
    close(go[0]);
    close(go[1]);
    return e;
  }
  gboolean into;
  pid_t pid = clone_into(flags, cgroup_fd, &into);
  if (pid == 0) {
    close(go[1]);
    close(err[0]);
    fn(data, go[0], err[1]);
    _exit(127); /* FN never returns */
  }
  int clone_errno = errno;
  close(go[0]);
  close(err[1]);
  if (pid < 0) {
    close(go[1]);
    close(err[0]);
    return clone_errno;
  }
  child->pid = pid;
  child->go_fd = go[1];
  child->err_fd = err[0];
  if (in_cgroup)
    *in_cgroup = into;
  return 0;
}

gboolean
hutch_mapped_child_map(HutchMappedChild *child, const HutchIdMap *map, GError **error)
{
  if (!hutch_idmap_apply(map, child->pid, error))
    return FALSE;
  hutch_mapped_child_go(child, 'x');
  return TRUE;
}

gboolean
hutch_mapped_child_go(HutchMappedChild *child, char byte)
{
  if (child->go_fd >= 0 && hutch_pipe_write(child->go_fd, &byte, 1))
    return TRUE;
  child->lost = TRUE;
  return FALSE;
}

gssize
hutch_mapped_child_result(HutchMappedChild *child, void *buf, gsize size)
{
  close_fd(&child->go_fd);
  ssize_t n;
  do
    n = read(child->err_fd, buf, size);
  while (n < 0 && errno == EINTR);
  close_fd(&child->err_fd);
  return child->lost ? -1 : n;
}

void
hutch_mapped_child_reap(HutchMappedChild *child)
{
  close_fd(&child->go_fd);
  close_fd(&child->err_fd);
  if (child->pid <= 0)
    return;
  kill(child->pid, SIGKILL);
  while (waitpid(child->pid, NULL, 0) < 0 && errno == EINTR)
    ;
  child->pid = -1;
}

gboolean
hutch_mapped_child_wait(int go_fd)
{
  char go;
  ssize_t n;
  do
    n = read(go_fd, &go, 1);
  while (n < 0 && errno == EINTR);
  return n == 1;
}
