/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "caps.h"
#include <errno.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

int
hutch_caps_set(guint64 permitted, guint64 effective)
{
  struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2] = {
      {(guint32)effective, (guint32)permitted, 0},
      {(guint32)(effective >> 32), (guint32)(permitted >> 32), 0},
  };
  return syscall(SYS_capset, &hdr, data) < 0 ? errno : 0;
}

guint64
hutch_caps_effective(void)
{
  struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2] = {{0}};
  if (syscall(SYS_capget, &hdr, data) < 0)
    return 0;
  return (guint64)data[0].effective | (guint64)data[1].effective << 32;
}
