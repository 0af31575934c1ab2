/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* escape: try to get out of the sandbox, one attack per case, and say what
 * happened. Run inside hutch (or tests/escape/seccomp-harness).
 *
 *   escape --all        every seccomp case of this build
 *   escape --list       their names
 *   escape CASE[=ARG]...
 *
 * One line per case: "CASE open" (the call succeeded), "CASE blocked ERRNO"
 * (it failed with that errno), "CASE killed SIGNAL" or "CASE error WHY" (the
 * test itself could not run). Each case runs in a forked child, so a case
 * that is killed, or one that changes its namespaces, touches no other.
 *
 * Attacks go through raw syscall numbers so the kernel sees exactly the
 * arguments written here, high bits included. Built with -m32 the same file
 * is escape32 and makes every call with `int $0x80`, the i386 ABI.
 *
 * Nothing here writes where it could hurt if a case turned out open: files
 * under /proc are only opened, never written, and mounts happen only in a
 * mount namespace of the case's own. The privileged calls are made so that
 * they change nothing even for root without a filter (the suite's controls
 * run them that way, in a mount namespace of their own): past the kernel's
 * privilege check they fail on their arguments. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/keyctl.h>
#include <linux/mount.h>
#include <linux/perf_event.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/quota.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* Numbers shared by every architecture since Linux 5.1, for older headers. */
#ifndef SYS_open_tree
#define SYS_open_tree 428
#define SYS_move_mount 429
#define SYS_fsopen 430
#define SYS_fsconfig 431
#define SYS_fsmount 432
#define SYS_fspick 433
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef SYS_open_tree_attr
#define SYS_open_tree_attr 467
#endif
/* <sys/mount.h> would clash with <linux/mount.h>. */
#ifndef MNT_DETACH
#define MNT_DETACH 2
#endif
#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif
#ifndef TIOCL_GETSHIFTSTATE
#define TIOCL_GETSHIFTSTATE 6
#endif

/* The case ran and the call succeeded; any other value is an errno. */
#define OPEN 0
/* The test could not set itself up; the child has said why on stderr. */
#define SETUP_FAILED 255

#if defined(__i386__)
/* i386 has six argument registers and ebp is the sixth; gcc will not let
 * us name ebp as an operand, so the sixth argument and the number travel
 * through memory. */
static long
raw6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
  long mem[2] = {a6, nr};
  long ret;
  __asm__ volatile("push %%ebp\n\t"
                   "mov 0(%%eax), %%ebp\n\t"
                   "mov 4(%%eax), %%eax\n\t"
                   "int $0x80\n\t"
                   "pop %%ebp"
                   : "=a"(ret)
                   : "a"(mem), "b"(a1), "c"(a2), "d"(a3), "S"(a4), "D"(a5)
                   : "memory");
  if (ret < 0 && ret > -4096) {
    errno = -ret;
    return -1;
  }
  return ret;
}
#define ABI "i386 (int $0x80)"
#else
static long
raw6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
  return syscall(nr, a1, a2, a3, a4, a5, a6);
}
#define ABI "native"
#endif

#define SC_(nr, a, b, c, d, e, f, ...)                                                             \
  raw6((nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))
#define SC(...) SC_(__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0)

static int
result(long rc)
{
  return rc < 0 ? errno : OPEN;
}

static int
setup_failed(const char *what)
{
  fprintf(stderr, "escape: %s: %s\n", what, strerror(errno));
  return SETUP_FAILED;
}

/* A terminal to aim ioctls at: stdin when it is one, else /dev/null. The
 * filter answers before the kernel looks at the fd, so on /dev/null the
 * filter's EPERM and the kernel's ENOTTY tell the two apart. */
static int
tty_fd(void)
{
  return isatty(0) ? 0 : open("/dev/null", O_RDWR | O_CLOEXEC);
}

/* Get a user and mount namespace of our own where we are root, as a nested
 * sandbox would. Failure is expected under the default filter: the attack
 * that follows is then tried unprivileged and the filter answers it. */
static void
enter_userns(void)
{
  uid_t uid = getuid();
  gid_t gid = getgid();
  if (SC(SYS_unshare, CLONE_NEWUSER | CLONE_NEWNS) < 0)
    return;
  char map[64];
  int fd = open("/proc/self/setgroups", O_WRONLY);
  if (fd >= 0) {
    (void)!write(fd, "deny", 4);
    close(fd);
  }
  snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
  if ((fd = open("/proc/self/uid_map", O_WRONLY)) >= 0) {
    (void)!write(fd, map, strlen(map));
    close(fd);
  }
  snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
  if ((fd = open("/proc/self/gid_map", O_WRONLY)) >= 0) {
    (void)!write(fd, map, strlen(map));
    close(fd);
  }
  SC(SYS_mount, NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
}

/* enter_userns, then a fresh tmpfs on /tmp to play with. */
static void
enter_userns_tmpfs(void)
{
  enter_userns();
  SC(SYS_mount, "tmpfs", "/tmp", "tmpfs", 0, NULL);
}

/* A process of ours to reach into, the way a compromised app would reach
 * another app process in the same sandbox. */
static volatile int target_secret = 42;

static pid_t
spawn_target(void)
{
  pid_t pid = fork();
  if (pid == 0) {
    for (;;)
      pause();
  }
  return pid;
}

static void
reap(pid_t pid)
{
  if (pid > 0) {
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
  }
}

/* ---- terminal ---------------------------------------------------------- */

static int
case_tiocsti(const char *arg)
{
  char c = '#';
  return result(SC(SYS_ioctl, tty_fd(), TIOCSTI, &c));
}

#ifdef __LP64__
/* The kernel reads the request as unsigned int: a filter comparing all 64
 * bits would miss this one. */
static int
case_tiocsti_high(const char *arg)
{
  char c = '#';
  return result(SC(SYS_ioctl, tty_fd(), (1UL << 32) | TIOCSTI, &c));
}
#endif

static int
case_tioclinux(const char *arg)
{
  char sub = TIOCL_GETSHIFTSTATE;
  return result(SC(SYS_ioctl, tty_fd(), TIOCLINUX, &sub));
}

/* ---- namespaces -------------------------------------------------------- */

static int
case_unshare_user(const char *arg)
{
  return result(SC(SYS_unshare, CLONE_NEWUSER));
}

static int
wait_clone_child(long rc)
{
  if (rc == 0)
    _exit(0);
  if (rc > 0)
    waitpid(rc, NULL, 0);
  return result(rc);
}

static int
case_clone_newuser(const char *arg)
{
  /* No new stack: the child continues on a copy of ours, like fork. */
  return wait_clone_child(SC(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0));
}

struct clone_args_v0 {
  uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

static int
case_clone3(const char *arg)
{
  struct clone_args_v0 args = {.flags = CLONE_NEWUSER, .exit_signal = SIGCHLD};
  return wait_clone_child(SC(SYS_clone3, &args, sizeof args));
}

static int
case_setns(const char *arg)
{
  int fd = open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return setup_failed("open /proc/self/ns/user");
  /* Joining the namespace we are in: the kernel says EINVAL, the filter
   * EPERM. */
  return result(SC(SYS_setns, fd, CLONE_NEWUSER));
}

/* ---- mounts ------------------------------------------------------------ */

static int
case_mount(const char *arg)
{
  enter_userns();
  return result(SC(SYS_mount, "tmpfs", "/tmp", "tmpfs", 0, NULL));
}

static int
case_umount2(const char *arg)
{
  enter_userns_tmpfs();
  return result(SC(SYS_umount2, "/tmp", MNT_DETACH));
}

#ifdef SYS_umount
/* i386's one-argument umount. */
static int
case_umount(const char *arg)
{
  enter_userns_tmpfs();
  return result(SC(SYS_umount, "/tmp"));
}
#endif

static int
case_pivot_root(const char *arg)
{
  enter_userns_tmpfs();
  mkdir("/tmp/old", 0700);
  if (chdir("/tmp") < 0)
    return setup_failed("chdir /tmp");
  return result(SC(SYS_pivot_root, ".", "old"));
}

static int
case_chroot(const char *arg)
{
  enter_userns();
  return result(SC(SYS_chroot, "/"));
}

static int
case_fsopen(const char *arg)
{
  enter_userns();
  return result(SC(SYS_fsopen, "tmpfs", 0));
}

static int
case_fsconfig(const char *arg)
{
  enter_userns();
  long fd = SC(SYS_fsopen, "tmpfs", 0);
  return result(SC(SYS_fsconfig, fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
}

static int
case_fsmount(const char *arg)
{
  enter_userns();
  long fd = SC(SYS_fsopen, "tmpfs", 0);
  SC(SYS_fsconfig, fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0);
  return result(SC(SYS_fsmount, fd, 0, 0));
}

static int
case_move_mount(const char *arg)
{
  enter_userns();
  long fd = SC(SYS_fsopen, "tmpfs", 0);
  SC(SYS_fsconfig, fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0);
  long mfd = SC(SYS_fsmount, fd, 0, 0);
  return result(SC(SYS_move_mount, mfd, "", AT_FDCWD, "/tmp", MOVE_MOUNT_F_EMPTY_PATH));
}

static int
case_fspick(const char *arg)
{
  enter_userns_tmpfs();
  return result(SC(SYS_fspick, AT_FDCWD, "/tmp", 0));
}

static int
case_open_tree(const char *arg)
{
  enter_userns_tmpfs();
  return result(SC(SYS_open_tree, AT_FDCWD, "/tmp", OPEN_TREE_CLONE));
}

/* Linux 6.15, newer than libseccomp 2.5's syscall table. */
static int
case_open_tree_attr(const char *arg)
{
  enter_userns_tmpfs();
  return result(SC(SYS_open_tree_attr, AT_FDCWD, "/tmp", OPEN_TREE_CLONE, NULL, 0));
}

static int
case_mount_setattr(const char *arg)
{
  enter_userns_tmpfs();
  struct mount_attr attr = {.attr_set = MOUNT_ATTR_NOSUID};
  return result(SC(SYS_mount_setattr, AT_FDCWD, "/tmp", 0, &attr, sizeof attr));
}

/* ---- kernel keyring ---------------------------------------------------- */

static int
case_add_key(const char *arg)
{
  return result(SC(SYS_add_key, "user", "hutch-escape", "x", 1, KEY_SPEC_PROCESS_KEYRING));
}

static int
case_keyctl(const char *arg)
{
  return result(SC(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, 0));
}

static int
case_request_key(const char *arg)
{
  return result(SC(SYS_request_key, "user", "hutch-escape-none", NULL, 0));
}

/* ---- other processes --------------------------------------------------- */

static int
case_ptrace(const char *arg)
{
  pid_t pid = spawn_target();
  if (pid < 0)
    return setup_failed("fork");
  int r = result(SC(SYS_ptrace, PTRACE_ATTACH, pid, 0, 0));
  reap(pid);
  return r;
}

static int
case_process_vm_readv(const char *arg)
{
  pid_t pid = spawn_target();
  if (pid < 0)
    return setup_failed("fork");
  int value = 0;
  struct iovec local = {&value, sizeof value};
  struct iovec remote = {(void *)&target_secret, sizeof target_secret};
  int r = result(SC(SYS_process_vm_readv, pid, &local, 1, &remote, 1, 0));
  reap(pid);
  return r;
}

static int
case_process_vm_writev(const char *arg)
{
  pid_t pid = spawn_target();
  if (pid < 0)
    return setup_failed("fork");
  int value = 7;
  struct iovec local = {&value, sizeof value};
  struct iovec remote = {(void *)&target_secret, sizeof target_secret};
  int r = result(SC(SYS_process_vm_writev, pid, &local, 1, &remote, 1, 0));
  reap(pid);
  return r;
}

static int
case_pidfd_getfd(const char *arg)
{
  pid_t pid = spawn_target();
  if (pid < 0)
    return setup_failed("fork");
  long pidfd = SC(SYS_pidfd_open, pid, 0);
  int r = pidfd < 0 ? setup_failed("pidfd_open") : result(SC(SYS_pidfd_getfd, pidfd, 0, 0));
  reap(pid);
  return r;
}

static int
case_kcmp(const char *arg)
{
  pid_t self = getpid();
  return result(SC(SYS_kcmp, self, self, 0 /* KCMP_FILE */, 0, 0));
}

static int
case_perf_event_open(const char *arg)
{
  struct perf_event_attr attr = {
      .type = PERF_TYPE_SOFTWARE,
      .size = sizeof attr,
      .config = PERF_COUNT_SW_TASK_CLOCK,
      .exclude_kernel = 1,
      .exclude_hv = 1,
  };
  return result(SC(SYS_perf_event_open, &attr, 0, -1, -1, 0));
}

/* ---- personality ------------------------------------------------------- */

static int
case_personality(const char *arg)
{
  return result(SC(SYS_personality, PER_LINUX | ADDR_NO_RANDOMIZE));
}

#ifdef __LP64__
/* High bits set, a disallowed persona (PER_BSD) in the low 32 the kernel
 * reads. */
static int
case_personality_high(const char *arg)
{
  return result(SC(SYS_personality, (1UL << 32) | PER_BSD));
}
#endif

static int
case_personality_query(const char *arg)
{
  return result(SC(SYS_personality, 0xffffffffUL));
}

static int
case_personality_linux32(const char *arg)
{
  return result(SC(SYS_personality, PER_LINUX32));
}

/* ---- kernel interfaces nobody in a desktop sandbox needs --------------- */

static int
case_bpf(const char *arg)
{
  union bpf_attr attr;
  memset(&attr, 0, sizeof attr);
  attr.map_type = BPF_MAP_TYPE_ARRAY;
  attr.key_size = 4;
  attr.value_size = 4;
  attr.max_entries = 1;
  return result(SC(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr));
}

static int
case_userfaultfd(const char *arg)
{
  /* User-mode-only faults are allowed to everyone by the kernel. */
  return result(SC(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY));
}

static int
case_io_uring(const char *arg)
{
  char params[256] = {0}; /* struct io_uring_params, all zero */
  return result(SC(SYS_io_uring_setup, 2, params));
}

/* One segment more than the kernel takes (KEXEC_SEGMENT_MAX, 16): root gets
 * EINVAL after the privilege check, where 0 segments would unload the
 * loaded kernel image. */
static int
case_kexec_load(const char *arg)
{
  return result(SC(SYS_kexec_load, 0, 17, NULL, 0));
}

#ifdef SYS_kexec_file_load
static int
case_kexec_file_load(const char *arg)
{
  return result(SC(SYS_kexec_file_load, -1, -1, 0, "", 0));
}
#endif

static int
case_init_module(const char *arg)
{
  return result(SC(SYS_init_module, NULL, 0, ""));
}

static int
case_finit_module(const char *arg)
{
  return result(SC(SYS_finit_module, -1, "", 0));
}

static int
case_delete_module(const char *arg)
{
  return result(SC(SYS_delete_module, "hutch_escape", O_NONBLOCK));
}

static int
case_open_by_handle_at(const char *arg)
{
  union {
    struct file_handle fh;
    char buf[sizeof(struct file_handle) + MAX_HANDLE_SZ];
  } h = {.fh.handle_bytes = MAX_HANDLE_SZ};
  int mount_id;
  int root = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root < 0 || name_to_handle_at(AT_FDCWD, "/", &h.fh, &mount_id, 0) < 0)
    return setup_failed("name_to_handle_at /");
  return result(SC(SYS_open_by_handle_at, root, &h.fh, O_RDONLY));
}

static int
case_syslog(const char *arg)
{
  return result(SC(SYS_syslog, 10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0));
}

#ifdef SYS_uselib
static int
case_uselib(const char *arg)
{
  return result(SC(SYS_uselib, "/nonexistent/hutch-escape"));
}
#endif

/* A file that is not there: root gets ENOENT after the privilege check,
 * where NULL would switch the host's process accounting off. */
static int
case_acct(const char *arg)
{
  return result(SC(SYS_acct, "/nonexistent/hutch-escape-acct"));
}

static int
case_quotactl(const char *arg)
{
  char buf[64];
  return result(SC(SYS_quotactl, QCMD(Q_GETFMT, USRQUOTA), "/", 0, buf));
}

/* ---- NUMA -------------------------------------------------------------- */

static int
case_get_mempolicy(const char *arg)
{
  int mode;
  return result(SC(SYS_get_mempolicy, &mode, NULL, 0, NULL, 0));
}

static int
case_set_mempolicy(const char *arg)
{
  return result(SC(SYS_set_mempolicy, 0 /* MPOL_DEFAULT */, NULL, 0));
}

static int
case_mbind(const char *arg)
{
  void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED)
    return setup_failed("mmap");
  return result(SC(SYS_mbind, page, 4096, 0 /* MPOL_DEFAULT */, NULL, 0, 0));
}

static int
case_move_pages(const char *arg)
{
  return result(SC(SYS_move_pages, 0, 0, NULL, NULL, NULL, 0));
}

static int
case_migrate_pages(const char *arg)
{
  unsigned long mask = 1;
  return result(SC(SYS_migrate_pages, 0, 8 * sizeof mask, &mask, &mask));
}

#ifdef SYS_modify_ldt
static int
case_modify_ldt(const char *arg)
{
  char buf[16];
  return result(SC(SYS_modify_ldt, 0 /* read */, buf, sizeof buf));
}
#endif

/* ---- sockets ----------------------------------------------------------- */

static int
open_socket(unsigned long family, int type)
{
  return result(SC(SYS_socket, family, type | SOCK_CLOEXEC, 0));
}

static int
case_socket_packet(const char *arg)
{
  return open_socket(AF_PACKET, SOCK_RAW);
}

static int
case_socket_vsock(const char *arg)
{
  return open_socket(AF_VSOCK, SOCK_STREAM);
}

static int
case_socket_alg(const char *arg)
{
  return open_socket(AF_ALG, SOCK_SEQPACKET);
}

#ifdef __LP64__
static int
case_socket_high(const char *arg)
{
  return open_socket((1UL << 32) | AF_PACKET, SOCK_RAW);
}
#endif

static int
case_socketpair_packet(const char *arg)
{
  int sv[2];
  return result(SC(SYS_socketpair, AF_PACKET, SOCK_RAW, 0, sv));
}

static int
case_socket_unix(const char *arg)
{
  return open_socket(AF_UNIX, SOCK_STREAM);
}

static int
case_socket_inet(const char *arg)
{
  return open_socket(AF_INET, SOCK_STREAM);
}

static int
case_socket_inet6(const char *arg)
{
  return open_socket(AF_INET6, SOCK_STREAM);
}

static int
case_socket_netlink(const char *arg)
{
  return open_socket(AF_NETLINK, SOCK_RAW);
}

#ifdef SYS_socketcall
/* The i386 multiplexer: the family sits in memory the filter cannot read. */
static int
socketcall_socket(unsigned long family, int type)
{
  unsigned long args[3] = {family, type, 0};
  return result(SC(SYS_socketcall, 1 /* SYS_SOCKET */, args));
}

static int
case_socketcall_packet(const char *arg)
{
  return socketcall_socket(AF_PACKET, SOCK_RAW);
}

static int
case_socketcall_unix(const char *arg)
{
  return socketcall_socket(AF_UNIX, SOCK_STREAM);
}
#endif

/* ---- other ABIs from a 64-bit process ---------------------------------- */

#if defined(__x86_64__) && !defined(__ILP32__)
/* x32 numbers are x86_64 numbers with bit 30 set. */
static int
case_x32(const char *arg)
{
  return result(syscall(0x40000000 | SYS_getpid));
}

/* int $0x80 from 64-bit code enters the kernel's i386 syscall table. */
static long
int80(long nr, long a1)
{
  long ret;
  __asm__ volatile("int $0x80"
                   : "=a"(ret)
                   : "a"(nr), "b"(a1)
                   : "memory", "rcx", "r8", "r9", "r10", "r11");
  if (ret < 0 && ret > -4096) {
    errno = -ret;
    return -1;
  }
  return ret;
}

static int
case_int80_getpid(const char *arg)
{
  return result(int80(20 /* i386 getpid */, 0));
}

static int
case_int80_unshare(const char *arg)
{
  return result(int80(310 /* i386 unshare */, CLONE_NEWUSER));
}
#endif

/* ---- boundaries of the argument rules, VALUE as strtoul reads it -------- */

static int
case_family(const char *arg)
{
  if (!arg)
    return setup_failed("family=N needs a number");
  /* SOCK_DGRAM: a type every allowed family accepts. */
  return open_socket(strtoul(arg, NULL, 0), SOCK_DGRAM);
}

static int
case_persona(const char *arg)
{
  if (!arg)
    return setup_failed("persona=N needs a number");
  return result(SC(SYS_personality, strtoul(arg, NULL, 0)));
}

/* ---- the host, through what the sandbox should hide -------------------- */

static int
case_sysrq(const char *arg)
{
  /* Opened, never written: an open one is reported, not used. */
  return result(open("/proc/sysrq-trigger", O_WRONLY | O_CLOEXEC));
}

static int
case_proc_sys(const char *arg)
{
  return result(open("/proc/sys/kernel/core_pattern", O_WRONLY | O_CLOEXEC));
}

static int
case_kill(const char *arg)
{
  if (!arg)
    return setup_failed("kill=PID needs a pid");
  return result(kill(atoi(arg), 0));
}

static int
case_tcp(const char *arg)
{
  if (!arg)
    return setup_failed("tcp=PORT needs a port");
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in sin = {
      .sin_family = AF_INET,
      .sin_port = htons(atoi(arg)),
      .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
  };
  if (fd < 0)
    return setup_failed("socket");
  return result(connect(fd, (struct sockaddr *)&sin, sizeof sin));
}

static int
case_abstract(const char *arg)
{
  if (!arg)
    return setup_failed("abstract=NAME needs a name");
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un sun = {.sun_family = AF_UNIX};
  size_t len = strlen(arg);
  if (fd < 0 || len + 1 > sizeof sun.sun_path)
    return setup_failed("abstract socket");
  memcpy(sun.sun_path + 1, arg, len);
  return result(
      connect(fd, (struct sockaddr *)&sun, offsetof(struct sockaddr_un, sun_path) + 1 + len));
}

static int
case_read(const char *arg)
{
  if (!arg)
    return setup_failed("read=PATH needs a path");
  return result(open(arg, O_RDONLY | O_CLOEXEC));
}

static int
case_write(const char *arg)
{
  if (!arg)
    return setup_failed("write=PATH needs a path");
  return result(open(arg, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
}

static int
case_fd(const char *arg)
{
  if (!arg)
    return setup_failed("fd=N needs a number");
  return result(fcntl(atoi(arg), F_GETFD));
}

/* ---- the table --------------------------------------------------------- */

typedef struct {
  const char *name;
  int (*run)(const char *arg);
  int in_all; /* part of --all: needs no argument and tests the filter */
} Case;

static const Case cases[] = {
    {"tiocsti", case_tiocsti, 1},
#ifdef __LP64__
    {"tiocsti-high", case_tiocsti_high, 1},
#endif
    {"tioclinux", case_tioclinux, 1},
    {"unshare-user", case_unshare_user, 1},
    {"clone-newuser", case_clone_newuser, 1},
    {"clone3", case_clone3, 1},
    {"setns", case_setns, 1},
    {"mount", case_mount, 1},
    {"umount2", case_umount2, 1},
#ifdef SYS_umount
    {"umount", case_umount, 1},
#endif
    {"pivot_root", case_pivot_root, 1},
    {"chroot", case_chroot, 1},
    {"fsopen", case_fsopen, 1},
    {"fsconfig", case_fsconfig, 1},
    {"fsmount", case_fsmount, 1},
    {"move_mount", case_move_mount, 1},
    {"fspick", case_fspick, 1},
    {"open_tree", case_open_tree, 1},
    {"open_tree_attr", case_open_tree_attr, 1},
    {"mount_setattr", case_mount_setattr, 1},
    {"add_key", case_add_key, 1},
    {"keyctl", case_keyctl, 1},
    {"request_key", case_request_key, 1},
    {"ptrace", case_ptrace, 1},
    {"process_vm_readv", case_process_vm_readv, 1},
    {"process_vm_writev", case_process_vm_writev, 1},
    {"pidfd_getfd", case_pidfd_getfd, 1},
    {"kcmp", case_kcmp, 1},
    {"perf_event_open", case_perf_event_open, 1},
    {"personality", case_personality, 1},
#ifdef __LP64__
    {"personality-high", case_personality_high, 1},
#endif
    {"personality-query", case_personality_query, 1},
    {"personality-linux32", case_personality_linux32, 1},
    {"bpf", case_bpf, 1},
    {"userfaultfd", case_userfaultfd, 1},
    {"io_uring", case_io_uring, 1},
    {"kexec_load", case_kexec_load, 1},
#ifdef SYS_kexec_file_load
    {"kexec_file_load", case_kexec_file_load, 1},
#endif
    {"init_module", case_init_module, 1},
    {"finit_module", case_finit_module, 1},
    {"delete_module", case_delete_module, 1},
    {"open_by_handle_at", case_open_by_handle_at, 1},
    {"syslog", case_syslog, 1},
#ifdef SYS_uselib
    {"uselib", case_uselib, 1},
#endif
    {"acct", case_acct, 1},
    {"quotactl", case_quotactl, 1},
    {"get_mempolicy", case_get_mempolicy, 1},
    {"set_mempolicy", case_set_mempolicy, 1},
    {"mbind", case_mbind, 1},
    {"move_pages", case_move_pages, 1},
    {"migrate_pages", case_migrate_pages, 1},
#ifdef SYS_modify_ldt
    {"modify_ldt", case_modify_ldt, 1},
#endif
    {"socket-packet", case_socket_packet, 1},
    {"socket-vsock", case_socket_vsock, 1},
    {"socket-alg", case_socket_alg, 1},
#ifdef __LP64__
    {"socket-high", case_socket_high, 1},
#endif
    {"socketpair-packet", case_socketpair_packet, 1},
    {"socket-unix", case_socket_unix, 1},
    {"socket-inet", case_socket_inet, 1},
    {"socket-inet6", case_socket_inet6, 1},
    {"socket-netlink", case_socket_netlink, 1},
#ifdef SYS_socketcall
    {"socketcall-packet", case_socketcall_packet, 1},
    {"socketcall-unix", case_socketcall_unix, 1},
#endif
#if defined(__x86_64__) && !defined(__ILP32__)
    {"x32", case_x32, 1},
    {"int80-getpid", case_int80_getpid, 1},
    {"int80-unshare", case_int80_unshare, 1},
#endif
    {"family", case_family, 0},
    {"persona", case_persona, 0},
    {"sysrq", case_sysrq, 0},
    {"proc-sys", case_proc_sys, 0},
    {"kill", case_kill, 0},
    {"tcp", case_tcp, 0},
    {"abstract", case_abstract, 0},
    {"read", case_read, 0},
    {"write", case_write, 0},
    {"fd", case_fd, 0},
};

static const char *
errno_name(int e)
{
  const char *name = strerrorname_np(e);
  return name ? name : "EUNKNOWN";
}

static void
run_case(const Case *c, const char *arg, const char *label)
{
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) {
    printf("%s error fork: %s\n", label, strerror(errno));
    return;
  }
  if (pid == 0) {
    alarm(20); /* a case that hangs is a bug, not a pass */
    _exit(c->run(arg));
  }
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (WIFSIGNALED(status)) {
    const char *sig = sigabbrev_np(WTERMSIG(status));
    printf("%s killed SIG%s\n", label, sig ? sig : "UNKNOWN");
  } else if (WEXITSTATUS(status) == OPEN) {
    printf("%s open\n", label);
  } else if (WEXITSTATUS(status) == SETUP_FAILED) {
    printf("%s error setup\n", label);
  } else {
    printf("%s blocked %s\n", label, errno_name(WEXITSTATUS(status)));
  }
  fflush(stdout);
}

int
main(int argc, char **argv)
{
  if (argc < 2) {
    fprintf(stderr, "usage: escape --all | --list | CASE[=ARG]...  (ABI: %s)\n", ABI);
    return 2;
  }
  if (!strcmp(argv[1], "--list") || !strcmp(argv[1], "--all")) {
    int list = !strcmp(argv[1], "--list");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
      if (!cases[i].in_all)
        continue;
      if (list)
        printf("%s\n", cases[i].name);
      else
        run_case(&cases[i], NULL, cases[i].name);
    }
    return 0;
  }
  int status = 0;
  for (int a = 1; a < argc; a++) {
    const char *eq = strchr(argv[a], '=');
    size_t len = eq ? (size_t)(eq - argv[a]) : strlen(argv[a]);
    const Case *found = NULL;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0] && !found; i++)
      if (strlen(cases[i].name) == len && !strncmp(cases[i].name, argv[a], len))
        found = &cases[i];
    if (!found) {
      fprintf(stderr, "escape: unknown case %s\n", argv[a]);
      status = 2;
      continue;
    }
    run_case(found, eq ? eq + 1 : NULL, argv[a]);
  }
  return status;
}
