/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The few system calls hutch-init makes, with no C library under them.
 *
 * Why no libc: hutch-init is executed for every sandbox, and a static
 * glibc's start-up alone (probing the CPU's features and caches with
 * cpuid, which traps to the hypervisor on a virtual machine, applying its
 * IRELATIVE relocations, reading its tunables, setting up stdio and TLS)
 * cost each launch 0.3 to 0.5 ms of wall and of CPU time, and the init
 * held 676 kB of RSS against 12 kB now (issue 19, tests/bench/speed, with
 * its rows in a shuffled order; the first A/Bs, in a fixed order, said 0.7
 * to 1.1 ms). The init
 * needs a dozen system calls and nothing else; the kernel's own
 * tools/include/nolibc does the same job but is not packaged, and the part
 * of it needed here is these lines.
 *
 * With HUTCH_INIT_FREESTANDING (x86_64, the architecture this is tested
 * on; see meson.build) the calls are made directly and init-rt.c provides
 * the entry point; else they go through libc's syscall(), and libc starts
 * main as usual.
 *
 * Each call returns the kernel's result: a value >= 0, or -errno. */
#pragma once
#include <stddef.h>
#include <asm/unistd.h>

#ifdef HUTCH_INIT_FREESTANDING
static inline long
rt_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
#if defined(__x86_64__)
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  register long r9 __asm__("r9") = f;
  long ret;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return ret;
#else
#error "HUTCH_INIT_FREESTANDING is for x86_64 only (see helpers/meson.build)"
#endif
}
#else
long rt_syscall6(long n, long a, long b, long c, long d, long e, long f);
#endif

#define rt_syscall(n, a, b, c, d) rt_syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

/* x86_64's signal numbers (and most others'); the kernel's sigset is one
 * 64-bit word. */
#define RT_SIGHUP 1
#define RT_SIGINT 2
#define RT_SIGQUIT 3
#define RT_SIGKILL 9
#define RT_SIGUSR1 10
#define RT_SIGUSR2 12
#define RT_SIGTERM 15
#define RT_SIGCHLD 17
#define RT_SIGCONT 18
#define RT_SIGSTOP 19
#define RT_SIGWINCH 28
/* glibc keeps the kernel's first two real-time signals for itself, so its
 * SIGRTMIN is 34; hutch (state/freeze.h) sends SIGRTMIN+1 and +2 as glibc
 * numbers them. */
#define RT_GLIBC_SIGRTMIN 34
#define RT_NSIG 64
#define RT_SI_KERNEL 0x80
#define RT_WNOHANG 1

typedef unsigned long rt_sigset;
#define RT_SIGBIT(sig) (1ul << ((sig)-1))

/* The kernel's struct sigaction. */
struct rt_sigaction {
  void (*handler)(int);
  unsigned long flags;
  void (*restorer)(void);
  rt_sigset mask;
};

/* The kernel's siginfo: 128 bytes, of which init reads the first three. */
struct rt_siginfo {
  int signo;
  int err;
  int code;
  int rest[29];
};

/* Installs HANDLER (NULL: the default) for SIG. */
long rt_sigaction(int sig, void (*handler)(int));
long rt_sigprocmask(int how, const rt_sigset *set);
#define RT_SIG_BLOCK 0
#define RT_SIG_SETMASK 2
long rt_sigwaitinfo(const rt_sigset *set, struct rt_siginfo *info);
long rt_fork(void);
long rt_execve(const char *path, char *const argv[], char *const envp[]);
long rt_kill(int pid, int sig);
long rt_wait_any(int *status); /* wait4(-1, status, WNOHANG) */
void rt_exit(int code) __attribute__((noreturn));
/* Writes all of S to fd 2; errors are ignored (nothing else to say them on). */
void rt_say(const char *s);
/* The text glibc's strerror gives for the errors an exec can end in. */
const char *rt_strerror(int err);

size_t rt_strlen(const char *s);
int rt_streq(const char *a, const char *b);
