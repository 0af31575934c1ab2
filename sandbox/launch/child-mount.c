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

static int
sys_openat2(int dfd, const char *path, int oflags, unsigned long long resolve)
{
  struct open_how how = {.flags = (unsigned)oflags, .resolve = resolve};
  int fd = (int)syscall(SYS_openat2, dfd, path, &how, sizeof(how));
  if (fd < 0 && errno == ENOSYS)
    fd = openat(dfd, path, oflags | O_NOFOLLOW);
  return fd;
}

static void
close_fd(int *fd)
{
  if (*fd >= 0)
    close(*fd);
}
#define AUTO_FD __attribute__((cleanup(close_fd))) int

/* Walk PATH component by component from /, creating missing directories
 * and refusing symlinks: a mount point must be exactly where the plan says.
 * Returns an O_PATH fd of the parent directory and points *last at the final
 * component, or -1 with errno. */
static int
open_parent(const char *path, const char **last, unsigned mode)
{
  char comp[256];
  int dfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  const char *p = path;
  while (dfd >= 0) {
    while (*p == '/')
      p++;
    const char *end = strchr(p, '/');
    if (!end || end[strspn(end, "/")] == '\0') {
      *last = p;
      return dfd;
    }
    size_t len = (size_t)(end - p);
    if (len >= sizeof(comp)) {
      close(dfd);
      errno = ENAMETOOLONG;
      return -1;
    }
    memcpy(comp, p, len);
    comp[len] = '\0';
    if (mkdirat(dfd, comp, mode) < 0 && errno != EEXIST) {
      int e = errno;
      close(dfd);
      errno = e;
      return -1;
    }
    int next = openat(dfd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int e = errno;
    close(dfd);
    errno = e;
    dfd = next;
    p = end;
  }
  return -1;
}

static int
last_component_len(const char *last)
{
  const char *slash = strchr(last, '/');
  return slash ? (int)(slash - last) : (int)strlen(last);
}

static int
create_last(int dfd, const char *name, int is_file)
{
  if (is_file) {
    int fd = openat(dfd, name, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd >= 0)
      close(fd);
    else if (errno != EEXIST && errno != EROFS && errno != EACCES && errno != EISDIR)
      return -1;
  } else if (mkdirat(dfd, name, 0755) < 0 && errno != EEXIST) {
    return -1;
  }
  return openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
}

/* Fast path: the parent usually exists already (most ops land in /etc,
 * /dev or /proc), so try it in one openat2 before walking from /. */
static int
open_existing_parent(const char *path, const char **last)
{
  char parent[4096];
  const char *slash = strrchr(path, '/');
  if (!slash || slash == path || slash[1] == '\0' || (size_t)(slash - path) >= sizeof(parent)) {
    errno = ENOENT;
    return -1;
  }
  memcpy(parent, path, (size_t)(slash - path));
  parent[slash - path] = '\0';
  *last = slash + 1;
  return sys_openat2(AT_FDCWD, parent, O_PATH | O_DIRECTORY | O_CLOEXEC,
                     RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
}

/* Create the mount point (a directory, or an empty file) and return an
 * O_PATH fd to it without following symlinks. */
static int
open_mountpoint(const char *path, int is_file)
{
  int fd =
      sys_openat2(AT_FDCWD, path, O_PATH | O_CLOEXEC, RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
  if (fd >= 0 || errno != ENOENT)
    return fd;
  const char *last;
  {
    AUTO_FD dfd = open_existing_parent(path, &last);
    if (dfd >= 0)
      return create_last(dfd, last, is_file);
    if (errno != ENOENT)
      return -1;
  }
  AUTO_FD dfd = open_parent(path, &last, 0755);
  if (dfd < 0)
    return -1;
  char name[256];
  int len = last_component_len(last);
  if (len == 0) /* path is "/" */
    return open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (len >= (int)sizeof(name)) {
    errno = ENAMETOOLONG;
    return -1;
  }
  memcpy(name, last, (size_t)len);
  name[len] = '\0';
  return create_last(dfd, name, is_file);
}

int
hutch_child_mkdir_p(const char *path, unsigned mode)
{
  AUTO_FD fd = open_mountpoint(path, 0);
  return fd < 0 ? errno : 0;
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
  AUTO_FD src = sys_openat2(AT_FDCWD, op->src, O_PATH | O_CLOEXEC,
                            RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
  if (src < 0)
    return (errno == ENOENT && op->flags & HUTCH_OPF_OPTIONAL) ? 0 : errno;
  AUTO_FD target = open_mountpoint(op->dest, op->flags & HUTCH_OPF_FILE);
  if (target < 0)
    return errno;
  AUTO_FD tree =
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

static int
op_fs(const HutchOp *op, const char *fstype, unsigned long flags, const char *data)
{
  AUTO_FD target = open_mountpoint(op->dest, 0);
  if (target < 0)
    return errno;
  return mount(fstype, op->dest, fstype, flags, data) < 0 ? errno : 0;
}

static int
op_symlink(const HutchOp *op)
{
  const char *last;
  AUTO_FD dfd = open_parent(op->dest, &last, 0755);
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
