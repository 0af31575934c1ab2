/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Child side: mount points, created where the plan says and nowhere else:
 * every path is walked from / without following a symlink, so a path the
 * app's files could redirect is refused rather than followed. Returns fds
 * or errnos; never allocates. */
#include "child.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>

void
hutch_child_close_fd(int *fd)
{
  if (*fd >= 0)
    close(*fd);
}

int
hutch_child_openat2(int dfd, const char *path, int oflags, unsigned long long resolve)
{
  struct open_how how = {.flags = (unsigned)oflags, .resolve = resolve};
  int fd = (int)syscall(SYS_openat2, dfd, path, &how, sizeof(how));
  if (fd < 0 && errno == ENOSYS)
    fd = openat(dfd, path, oflags | O_NOFOLLOW);
  return fd;
}

/* Walk PATH component by component from /, creating missing directories
 * and refusing symlinks: a mount point must be exactly where the plan says.
 * Returns an O_PATH fd of the parent directory and points *last at the final
 * component, or -1 with errno. */
int
hutch_child_open_parent(const char *path, const char **last, unsigned mode)
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
    /* O_NONBLOCK: a FIFO that appeared there since the plan must not
     * hang the launch (the O_PATH open below then binds over it). */
    int fd = openat(dfd, name, O_CREAT | O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
    if (fd >= 0)
      close(fd);
    else if (errno != EEXIST && errno != EROFS && errno != EACCES && errno != EISDIR &&
             errno != ENXIO)
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
  return hutch_child_openat2(AT_FDCWD, parent, O_PATH | O_DIRECTORY | O_CLOEXEC,
                             RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
}

/* Create the mount point (a directory, or an empty file) and return an
 * O_PATH fd to it without following symlinks. */
int
hutch_child_open_mountpoint(const char *path, int is_file)
{
  int fd = hutch_child_openat2(AT_FDCWD, path, O_PATH | O_CLOEXEC,
                               RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
  if (fd >= 0 || errno != ENOENT)
    return fd;
  const char *last;
  {
    HUTCH_AUTO_FD dfd = open_existing_parent(path, &last);
    if (dfd >= 0)
      return create_last(dfd, last, is_file);
    if (errno != ENOENT)
      return -1;
  }
  HUTCH_AUTO_FD dfd = hutch_child_open_parent(path, &last, 0755);
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
  HUTCH_AUTO_FD fd = hutch_child_open_mountpoint(path, 0);
  return fd < 0 ? errno : 0;
}
