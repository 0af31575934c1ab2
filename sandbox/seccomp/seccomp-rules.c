/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "seccomp-rules.h"
#include <errno.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include "policy.h"

/* Since Linux 5.1 (syscall 424) new syscalls share one number on every
 * architecture except alpha, ia64 and mips; only there may we name a syscall
 * by number when the installed libseccomp predates it. */
#if (defined(__x86_64__) && !defined(__ILP32__)) || defined(__i386__) || defined(__aarch64__) ||   \
    defined(__arm__) || defined(__riscv) || defined(__powerpc64__) || defined(__s390x__)
#define UNIFIED_NR(n) (n)
#else
#define UNIFIED_NR(n) (-1)
#endif

#define NESTED HUTCH_PERM_NESTED_SANDBOX
#define DEVEL HUTCH_PERM_DEVEL
#define MULTIARCH HUTCH_PERM_MULTIARCH

const HutchScRule hutch_sc_rules[] = {
    /* flatpak's list, which it took from Sandstorm and linux-user-chroot:
     * kernel log, obsolete or accounting calls, the kernel keyring (not
     * namespaced), and NUMA calls that let one process steer another's
     * memory placement. */
    {"syslog", EPERM, 0, HUTCH_SC_ARG_NONE, -1},
    {"uselib", EPERM, 0, HUTCH_SC_ARG_NONE, -1},
    {"acct", EPERM, 0, HUTCH_SC_ARG_NONE, -1},
    {"quotactl", EPERM, 0, HUTCH_SC_ARG_NONE, -1},
    {"quotactl_fd", EPERM, 0, HUTCH_SC_ARG_NONE, -1},
    {"add_key", EPERM, 0, HUTCH_SC_ARG_NONE, -1},
    {"keyctl", EPERM, 0, HUTCH_SC_ARG_NONE, -1},
    {"request_key", EPERM, 0, HUTCH_SC_ARG_NONE, -1},
    {"move_pages", EPERM, 0, HUTCH_SC_ARG_NONE, -1},
    {"mbind", EPERM, 0, HUTCH_SC_ARG_NONE, -1},
    {"get_mempolicy", EPERM, 0, HUTCH_SC_ARG_NONE, -1},
    {"set_mempolicy", EPERM, 0, HUTCH_SC_ARG_NONE, -1},
    {"set_mempolicy_home_node", EPERM, 0, HUTCH_SC_ARG_NONE, -1},
    {"migrate_pages", EPERM, 0, HUTCH_SC_ARG_NONE, -1},

    /* Terminal injection: TIOCSTI pushes input into the caller's terminal,
     * TIOCLINUX can paste the console selection. Blocking them is what lets
     * an interactive sandbox keep the caller's terminal and job control. */
    {"ioctl", EPERM, 0, HUTCH_SC_ARG_TIOCSTI, -1},
    {"ioctl", EPERM, 0, HUTCH_SC_ARG_TIOCLINUX, -1},

    /* Namespaces and mounts: a nested user namespace hands the app a full
     * set of capabilities over new namespaces, the largest kernel attack
     * surface there is. nested-sandbox is for apps that sandbox themselves. */
    {"unshare", EPERM, NESTED, HUTCH_SC_ARG_NONE, -1},
    {"setns", EPERM, NESTED, HUTCH_SC_ARG_NONE, -1},
    {"clone", EPERM, NESTED, HUTCH_SC_ARG_CLONE_NEWUSER, -1},
    {"mount", EPERM, NESTED, HUTCH_SC_ARG_NONE, -1},
    {"umount", EPERM, NESTED, HUTCH_SC_ARG_NONE, -1},
    {"umount2", EPERM, NESTED, HUTCH_SC_ARG_NONE, -1},
    {"pivot_root", EPERM, NESTED, HUTCH_SC_ARG_NONE, -1},
    /* bubblewrap and Chromium's sandbox chroot after pivoting, so chroot
     * belongs to nested-sandbox too. */
    {"chroot", EPERM, NESTED, HUTCH_SC_ARG_NONE, -1},

    /* clone3 passes its flags in memory the filter cannot read; ENOSYS makes
     * glibc fall back to clone, whose flags we can check. */
    {"clone3", ENOSYS, 0, HUTCH_SC_ARG_NONE, -1},
    /* The new mount API: ENOSYS so libraries fall back to mount(2). */
    {"open_tree", ENOSYS, NESTED, HUTCH_SC_ARG_NONE, -1},
    {"open_tree_attr", ENOSYS, NESTED, HUTCH_SC_ARG_NONE, UNIFIED_NR(467)},
    {"move_mount", ENOSYS, NESTED, HUTCH_SC_ARG_NONE, -1},
    {"fsopen", ENOSYS, NESTED, HUTCH_SC_ARG_NONE, -1},
    {"fsconfig", ENOSYS, NESTED, HUTCH_SC_ARG_NONE, -1},
    {"fsmount", ENOSYS, NESTED, HUTCH_SC_ARG_NONE, -1},
    {"fspick", ENOSYS, NESTED, HUTCH_SC_ARG_NONE, -1},
    {"mount_setattr", ENOSYS, NESTED, HUTCH_SC_ARG_NONE, -1},

    /* What flatpak leaves to missing capabilities or sysctls, filtered here
     * so a host with a permissive sysctl does not open them. io_uring runs
     * its operations where seccomp cannot see them. */
    {"bpf", EPERM, 0, HUTCH_SC_ARG_NONE, -1},
    {"userfaultfd", EPERM, 0, HUTCH_SC_ARG_NONE, -1},
    {"io_uring_setup", EPERM, 0, HUTCH_SC_ARG_NONE, -1},
    {"io_uring_enter", EPERM, 0, HUTCH_SC_ARG_NONE, -1},
    {"io_uring_register", EPERM, 0, HUTCH_SC_ARG_NONE, -1},
    {"kexec_load", EPERM, 0, HUTCH_SC_ARG_NONE, -1},
    {"kexec_file_load", EPERM, 0, HUTCH_SC_ARG_NONE, -1},
    {"init_module", EPERM, 0, HUTCH_SC_ARG_NONE, -1},
    {"finit_module", EPERM, 0, HUTCH_SC_ARG_NONE, -1},
    {"delete_module", EPERM, 0, HUTCH_SC_ARG_NONE, -1},
    {"open_by_handle_at", EPERM, 0, HUTCH_SC_ARG_NONE, -1},

    /* Reaching into another process of the same user: every sandboxed
     * process shares one uid, so without these rules one compromised app
     * process could read or steer the others. devel is for debuggers and
     * profilers. */
    {"ptrace", EPERM, DEVEL, HUTCH_SC_ARG_NONE, -1},
    {"process_vm_readv", EPERM, DEVEL, HUTCH_SC_ARG_NONE, -1},
    {"process_vm_writev", EPERM, DEVEL, HUTCH_SC_ARG_NONE, -1},
    {"process_madvise", EPERM, DEVEL, HUTCH_SC_ARG_NONE, -1},
    {"pidfd_getfd", EPERM, DEVEL, HUTCH_SC_ARG_NONE, -1},
    {"kcmp", EPERM, DEVEL, HUTCH_SC_ARG_NONE, -1},
    {"perf_event_open", EPERM, DEVEL, HUTCH_SC_ARG_NONE, -1},
    /* Personas such as ADDR_NO_RANDOMIZE or READ_IMPLIES_EXEC weaken the
     * next exec; the query and the two Linux personas stay usable. */
    {"personality", EPERM, DEVEL, HUTCH_SC_ARG_PERSONALITY, -1},
    /* 16-bit segments are for old 32-bit code and a history of leaks. */
    {"modify_ldt", EPERM, MULTIARCH, HUTCH_SC_ARG_NONE, -1},

    /* Address families: only local, IP and netlink sockets. */
    {"socket", EAFNOSUPPORT, 0, HUTCH_SC_ARG_FAMILY, -1},
    {"socketpair", EAFNOSUPPORT, 0, HUTCH_SC_ARG_FAMILY, -1},
};
const gsize hutch_sc_n_rules = G_N_ELEMENTS(hutch_sc_rules);

/* AF_UNSPEC is left out on purpose: the kernel refuses it with the same
 * EAFNOSUPPORT, so the filter may as well. */
const guint32 hutch_sc_allowed_families[] = {AF_UNIX, AF_INET, AF_INET6, AF_NETLINK};
const gsize hutch_sc_n_allowed_families = G_N_ELEMENTS(hutch_sc_allowed_families);
const char *const hutch_sc_allowed_family_names = "AF_UNIX AF_INET AF_INET6 AF_NETLINK";

/* 0xffffffff asks for the current persona without changing it. */
const guint32 hutch_sc_allowed_personas[] = {PER_LINUX, PER_LINUX32, 0xffffffffu};
const gsize hutch_sc_n_allowed_personas = G_N_ELEMENTS(hutch_sc_allowed_personas);
const char *const hutch_sc_allowed_persona_names = "PER_LINUX PER_LINUX32 0xffffffff (query)";
