/* Child side: the last steps before exec — loopback, fds, capabilities. */
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

/* Everything above 2 closes at exec except what the user passed on purpose;
 * close-on-exec (not close) keeps our own pipes and the init fd working. */
int
hutch_child_keep_fds(const int *fds, unsigned n)
{
  if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
    if (errno != ENOSYS && errno != EINVAL)
      return errno;
    for (int fd = 3; fd < 65536; fd++)
      fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  for (unsigned i = 0; i < n; i++)
    if (fcntl(fds[i], F_SETFD, 0) < 0)
      return errno;
  return 0;
}

int
hutch_child_drop_caps(void)
{
  for (int cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
      return errno;
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
    return errno;
  struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2];
  memset(data, 0, sizeof(data));
  if (syscall(SYS_capset, &hdr, data) < 0)
    return errno;
  return 0;
}

/* Without a delegated cgroup: RLIMIT_AS and RLIMIT_NPROC, and nice for the
 * CPU share; all inherited by everything the sandbox starts. */
int
hutch_child_apply_limits(const HutchLimits *limits)
{
  for (int i = 0; i < limits->n_rlimits; i++)
    if (setrlimit(limits->rlimits[i].resource, &limits->rlimits[i].value) < 0)
      return errno;
  if (limits->nice && setpriority(PRIO_PROCESS, 0, limits->nice) < 0)
    return errno;
  return 0;
}
