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
#include <linux/netlink.h>

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

/* Send each request of MSGS (LEN bytes of nlmsghdr-framed requests with
 * NLM_F_ACK) and read its acknowledgement; 0, or the first errno. */
int
hutch_child_netlink(const void *msgs, size_t len)
{
  if (!len)
    return 0;
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0)
    return errno;
  int err = 0;
  const char *p = msgs;
  while (!err && len >= sizeof(struct nlmsghdr)) {
    const struct nlmsghdr *req = (const struct nlmsghdr *)p;
    size_t n = NLMSG_ALIGN(req->nlmsg_len);
    if (req->nlmsg_len < sizeof(*req) || n > len) {
      err = EINVAL;
      break;
    }
    if (send(fd, req, req->nlmsg_len, 0) < 0) {
      err = errno;
      break;
    }
    union {
      struct nlmsghdr h;
      char buf[256];
    } ack;
    ssize_t got = recv(fd, &ack, sizeof(ack), 0);
    if (got < 0)
      err = errno;
    else if ((size_t)got < NLMSG_LENGTH(sizeof(struct nlmsgerr)) || ack.h.nlmsg_type != NLMSG_ERROR)
      err = EPROTO;
    else
      err = -((const struct nlmsgerr *)NLMSG_DATA(&ack.h))->error;
    p += n;
    len -= n;
  }
  close(fd);
  return err;
}

/* /proc/sys/net shows the opener's network namespace, whichever procfs. */
int
hutch_child_ping_range(const char *range)
{
  int fd = open("/proc/sys/net/ipv4/ping_group_range", O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return errno;
  size_t len = strlen(range);
  int err = write(fd, range, len) == (ssize_t)len ? 0 : errno ? errno : EIO;
  close(fd);
  return err;
}
