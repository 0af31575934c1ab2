/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The child side of the launch: runs a finished Plan with raw syscalls.
 * Nothing here allocates, parses or takes a lock; a failure is reported to
 * the parent as a HutchChildError over a pipe and the child exits. */
#pragma once
#include "plan.h"
#include <sched.h>

typedef struct {
  int err;       /* errno */
  int op_index;  /* index into plan->ops, or -1 for a fixed step */
  char step[48]; /* which fixed step failed, when op_index is -1 */
} HutchChildError;

/* With its own cgroup the sandbox's cgroup namespace is made after the
 * child is in that cgroup, so the sandbox sees it as its root. */
static inline gboolean
hutch_child_late_cgroupns(const HutchPlan *plan)
{
  return plan->limits.cgroup && (plan->clone_flags & CLONE_NEWCGROUP);
}

G_GNUC_NORETURN void hutch_child_run(const HutchPlan *plan, int sync_fd, int err_fd);

/* child-mount.c: one function per op type; each returns 0 or an errno. */
int hutch_child_run_op(const HutchOp *op);
int hutch_child_remount_ro(const char *path, int recursive);

/* child-mountpoint.c: paths walked without following symlinks. */
void hutch_child_close_fd(int *fd);
#define HUTCH_AUTO_FD __attribute__((cleanup(hutch_child_close_fd))) int
/* openat2 with RESOLVE flags, or openat with O_NOFOLLOW on older kernels. */
int hutch_child_openat2(int dfd, const char *path, int oflags, unsigned long long resolve);
/* Walk PATH from /, creating missing directories with MODE; an O_PATH fd of
 * the parent, *last pointing at the final component; -1 with errno. */
int hutch_child_open_parent(const char *path, const char **last, unsigned mode);
/* Create the mount point (a directory, or an empty file) and return an
 * O_PATH fd to it; -1 with errno. */
int hutch_child_open_mountpoint(const char *path, int is_file);
int hutch_child_mkdir_p(const char *path, unsigned mode);
/* child-fuse.c */
int hutch_child_fuse_overlay(const HutchOp *op);

/* child-setup.c */
int hutch_child_loopback_up(void);
int hutch_child_netlink(const void *msgs, size_t len);
int hutch_child_ping_range(const char *range);
