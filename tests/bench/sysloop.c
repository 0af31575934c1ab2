/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sysloop: time cheap syscalls, to see what a seccomp filter adds to each.
 *
 *   sysloop [ITERATIONS]
 *
 * Prints "getppid NS", "read NS" and "ioctl NS": nanoseconds per call,
 * best of five rounds (the least disturbed one), of getppid(), of a one-byte
 * read() from /dev/zero, and of ioctl(TCGETS) on /dev/zero (ENOTTY).
 * getppid and read are syscalls a filter allows whatever their arguments,
 * which the kernel caches per syscall number (Linux 5.11+); ioctl has rules
 * on its arguments, so the filter itself runs on every call. Timing is
 * inside the process, so sandbox start-up is not counted. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static double
now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int
main(int argc, char **argv)
{
  long n = argc > 1 ? atol(argv[1]) : 2000000;
  int fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
  char byte;
  if (fd < 0 || n <= 0) {
    perror("sysloop: /dev/zero");
    return 1;
  }
  struct termios tio;
  double best_ppid = 1e18, best_read = 1e18, best_ioctl = 1e18;
  for (int round = 0; round < 5; round++) {
    double t0 = now_ns();
    for (long i = 0; i < n; i++)
      syscall(SYS_getppid); /* not getppid(): no libc shortcut, ever */
    double t1 = now_ns();
    for (long i = 0; i < n; i++)
      if (read(fd, &byte, 1) != 1)
        return 1;
    double t2 = now_ns();
    for (long i = 0; i < n; i++)
      ioctl(fd, TCGETS, &tio);
    double t3 = now_ns();
    if ((t1 - t0) / n < best_ppid)
      best_ppid = (t1 - t0) / n;
    if ((t2 - t1) / n < best_read)
      best_read = (t2 - t1) / n;
    if ((t3 - t2) / n < best_ioctl)
      best_ioctl = (t3 - t2) / n;
  }
  printf("getppid %.1f\nread %.1f\nioctl %.1f\n", best_ppid, best_read, best_ioctl);
  return 0;
}
