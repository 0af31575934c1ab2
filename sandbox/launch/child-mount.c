/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Child side: one mount operation at a time, fd-based with the new mount
 * API (open_tree/mount_setattr/move_mount) and mount(2) where the kernel is
 * older. Returns 0 or an errno; never allocates. */
#include "child.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/mount.h>
#include <linux/openat2.h>

#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

static int
sys_open_tree(int dfd, const char *path, unsigned flags)
{
  return (int)syscall(SYS_open_tree, dfd, path, flags);
}

static int
sys_move_mount(int from_dfd, const char *from, int to_dfd, const char *to, unsigned flags)
{
  return (int)syscall(SYS_move_mount, from_dfd, from, to_dfd, to, flags);
}

static int
sys_mount_setattr(int dfd, const char *path, unsigned flags, struct mount_attr *attr)
{
  return (int)syscall(SYS_mount_setattr, dfd, path, flags, attr, sizeof(*attr));
}

static unsigned long long
mount_attrs(const HutchOp *op)
{
  unsigned long long attr = MOUNT_ATTR_NOSUID;
  if (op->flags & HUTCH_OPF_RDONLY)
    attr |= MOUNT_ATTR_RDONLY;
  if (!(op->flags & HUTCH_OPF_DEVICES))
    attr |= MOUNT_ATTR_NODEV;
  if (op->flags & HUTCH_OPF_NOEXEC)
    attr |= MOUNT_ATTR_NOEXEC;
  return attr;
}

/* mount(2) fallback: a remount must repeat the flags the kernel locked on
 * the source (nosuid, nodev, noexec) or it is refused with EPERM. */
static int
legacy_bind(const HutchOp *op)
{
  if (mount(op->src, op->dest, NULL, MS_BIND | MS_REC, NULL) < 0)
    return errno;
  struct statvfs sv;
  if (statvfs(op->dest, &sv) < 0)
    return errno;
  unsigned long flags = MS_REMOUNT | MS_BIND | MS_NOSUID;
  if (sv.f_flag & ST_NODEV || !(op->flags & HUTCH_OPF_DEVICES))
    flags |= MS_NODEV;
  if (sv.f_flag & ST_NOEXEC || op->flags & HUTCH_OPF_NOEXEC)
    flags |= MS_NOEXEC;
  if (op->flags & HUTCH_OPF_RDONLY || sv.f_flag & ST_RDONLY)
    flags |= MS_RDONLY;
  return mount("none", op->dest, NULL, flags, NULL) < 0 ? errno : 0;
}

static int
op_bind(const HutchOp *op)
{
  /* The plan resolved the source; a symlink on the way now means someone
   * swapped a path after planning, so refuse rather than follow it. */
  HUTCH_AUTO_FD src = hutch_child_openat2(AT_FDCWD, op->src, O_PATH | O_CLOEXEC,
                                          RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
  if (src < 0)
    return (errno == ENOENT && op->flags & HUTCH_OPF_OPTIONAL) ? 0 : errno;
  HUTCH_AUTO_FD target = hutch_child_open_mountpoint(op->dest, op->flags & HUTCH_OPF_FILE);
  if (target < 0)
    return errno;
  HUTCH_AUTO_FD tree =
      sys_open_tree(src, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
  if (tree < 0 && errno == ENOSYS)
    return legacy_bind(op);
  if (tree < 0)
    return errno;
  struct mount_attr attr = {.attr_set = mount_attrs(op)};
  if (sys_mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr) < 0)
    return errno;
  if (sys_move_mount(tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
    return errno;
  return 0;
}

/* A writable tmpfs of the plan: a fresh directory of the scratch root,
 * bound at its place, so that they all share the scratch root's one size
 * (plan/scratch.c). */
static int
op_scratch(const HutchOp *op)
{
  if (mkdir(HUTCH_SCRATCH_DIR, 0700) < 0 && errno != EEXIST)
    return errno;
  if (mkdir(op->src, 0700) < 0)
    return errno;
  /* mkdir's mode goes through the umask; the plan's is exact (1777). */
  if (chmod(op->src, op->mode) < 0)
    return errno;
  return op_bind(op);
}

static int
op_fs(const HutchOp *op, const char *fstype, unsigned long flags, const char *data)
{
  HUTCH_AUTO_FD target = hutch_child_open_mountpoint(op->dest, 0);
  if (target < 0)
    return errno;
  return mount(fstype, op->dest, fstype, flags, data) < 0 ? errno : 0;
}

static int
op_symlink(const HutchOp *op)
{
  const char *last;
  HUTCH_AUTO_FD dfd = hutch_child_open_parent(op->dest, &last, 0755);
  if (dfd < 0)
    return errno;
  if (symlinkat(op->data, dfd, last) == 0)
    return 0;
  if (errno != EEXIST)
    return errno;
  char existing[4096];
  ssize_t n = readlinkat(dfd, last, existing, sizeof(existing) - 1);
  if (n < 0)
    return EEXIST;
  existing[n] = '\0';
  return strcmp(existing, op->data) == 0 ? 0 : EEXIST;
}

int
hutch_child_remount_ro(const char *path, int recursive)
{
  struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};
  if (sys_mount_setattr(AT_FDCWD, path, recursive ? AT_RECURSIVE : 0, &attr) == 0)
    return 0;
  if (errno != ENOSYS)
    return errno;
  struct statvfs sv;
  if (statvfs(path, &sv) < 0)
    return errno;
  unsigned long flags = MS_REMOUNT | MS_BIND | MS_RDONLY;
  if (sv.f_flag & ST_NOSUID)
    flags |= MS_NOSUID;
  if (sv.f_flag & ST_NODEV)
    flags |= MS_NODEV;
  if (sv.f_flag & ST_NOEXEC)
    flags |= MS_NOEXEC;
  return mount("none", path, NULL, flags, NULL) < 0 ? errno : 0;
}

int
hutch_child_run_op(const HutchOp *op)
{
  unsigned long ro = op->flags & HUTCH_OPF_RDONLY ? MS_RDONLY : 0;
  switch (op->type) {
  case HUTCH_OP_BIND:
    return op_bind(op);
  case HUTCH_OP_TMPFS:
    if (op->flags & HUTCH_OPF_SCRATCH)
      return op_scratch(op);
    return op_fs(op, "tmpfs", MS_NOSUID | MS_NODEV | ro, op->data);
  case HUTCH_OP_PROC:
    return op_fs(op, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  case HUTCH_OP_DEVPTS:
    return op_fs(op, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=620");
  case HUTCH_OP_MQUEUE:
    return op_fs(op, "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  case HUTCH_OP_OVERLAY:
    return op_fs(op, "overlay", MS_NOSUID | MS_NODEV | ro, op->data);
  case HUTCH_OP_FUSE_OVERLAY:
    return hutch_child_fuse_overlay(op);
  case HUTCH_OP_SYMLINK:
    return op_symlink(op);
  case HUTCH_OP_MKDIR:
    return hutch_child_mkdir_p(op->dest, op->mode ? op->mode : 0755);
  case HUTCH_OP_REMOUNT_RO:
    return hutch_child_remount_ro(op->dest, 0);
  }
  return EINVAL;
}
