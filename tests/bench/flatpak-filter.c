/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* flatpak-filter: write to stdout a BPF program equivalent to the filter
 * flatpak (1.14/1.15, common/flatpak-run.c setup_seccomp) gives an app
 * without devel or multiarch, so tests/bench/seccomp can run the loop under
 * `bwrap --seccomp` with it. Rewritten from flatpak's documented rules, with
 * flatpak's libseccomp settings: the default linear layout, no binary tree.
 *
 *   flatpak-filter > filter.bpf */
#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int
main(void)
{
  static const int eperm[] = {
      SCMP_SYS(syslog),        SCMP_SYS(uselib),        SCMP_SYS(acct),
      SCMP_SYS(modify_ldt),    SCMP_SYS(quotactl),      SCMP_SYS(add_key),
      SCMP_SYS(keyctl),        SCMP_SYS(request_key),   SCMP_SYS(move_pages),
      SCMP_SYS(mbind),         SCMP_SYS(get_mempolicy), SCMP_SYS(set_mempolicy),
      SCMP_SYS(migrate_pages), SCMP_SYS(unshare),       SCMP_SYS(setns),
      SCMP_SYS(mount),         SCMP_SYS(umount),        SCMP_SYS(umount2),
      SCMP_SYS(pivot_root),    SCMP_SYS(chroot),        SCMP_SYS(perf_event_open),
      SCMP_SYS(ptrace),
  };
  static const int enosys[] = {
      SCMP_SYS(clone3),   SCMP_SYS(open_tree), SCMP_SYS(move_mount), SCMP_SYS(fsopen),
      SCMP_SYS(fsconfig), SCMP_SYS(fsmount),   SCMP_SYS(fspick),     SCMP_SYS(mount_setattr),
  };
  static const int families[] = {AF_UNSPEC, AF_LOCAL, AF_INET, AF_INET6, AF_NETLINK};
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  int rc = 0;
  if (!ctx)
    return 1;
  for (size_t i = 0; i < sizeof eperm / sizeof *eperm; i++)
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), eperm[i], 0);
  for (size_t i = 0; i < sizeof enosys / sizeof *enosys; i++)
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), enosys[i], 0);
  rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                         SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
  rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
                         SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCSTI));
  rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
                         SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCLINUX));
  rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(personality), 1,
                         SCMP_A0(SCMP_CMP_NE, 0 /* PER_LINUX */));
  /* Every family between the allowed ones, then everything above. */
  int last = -1;
  for (size_t i = 0; i < sizeof families / sizeof *families; i++) {
    for (int f = last + 1; f < families[i]; f++)
      rc |= seccomp_rule_add_exact(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1,
                                   SCMP_A0(SCMP_CMP_EQ, f));
    last = families[i];
  }
  rc |= seccomp_rule_add_exact(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1,
                               SCMP_A0(SCMP_CMP_GE, last + 1));
  if (rc != 0 || seccomp_export_bpf(ctx, STDOUT_FILENO) != 0) {
    fprintf(stderr, "flatpak-filter: libseccomp failed\n");
    return 1;
  }
  seccomp_release(ctx);
  return 0;
}
