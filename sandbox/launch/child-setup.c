/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Child side: network setup inside the new namespace (the lockdown before
 * exec is lockdown.c). */
#include "child.h"
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/close_range.h>

int
hutch_child_loopback_up(void)
{
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return errno;
  struct ifreq ifr;
  memset(&ifr, 0, sizeof(ifr));
  strcpy(ifr.ifr_name, "lo");
  int err = 0;
  if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
    err = errno;
  ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
  if (!err && ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
    err = errno;
  close(fd);
  return err;
}
