/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch-idholder: the per-user process whose user namespace every launch
 * joins (sandbox/base/idholder.h). It holds no capability and does
 * nothing but exist; it exits when the directory it is given (hutch's
 * runtime directory) is removed or its file system unmounted, as at logout.
 *
 *   hutch-idholder DIR
 */
#include <errno.h>
#include <sys/inotify.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
  if (argc != 2)
    return 2;
  int fd = inotify_init1(IN_CLOEXEC);
  if (fd < 0 || inotify_add_watch(fd, argv[1], IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT) < 0)
    return 1;
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n > 0 || (n < 0 && errno != EINTR))
      return 0;
  }
}
