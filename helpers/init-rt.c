/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch-init's system calls, its entry point, and the few string
 * functions it and escape.c use: see init-rt.h for why there is no libc. */
#include "init-rt.h"
#include <linux/errno.h>

#ifdef HUTCH_INIT_FREESTANDING
#include <string.h> /* only the prototypes of the three defined below */

int main(int argc, char **argv, char **envp);

/* The kernel starts us with argc, argv[], NULL, envp[], NULL on the stack. */
__attribute__((used, noreturn)) static void
start_c(long *sp)
{
  int argc = (int)sp[0];
  char **argv = (char **)(sp + 1);
  rt_exit(main(argc, argv, argv + argc + 1));
}

#if defined(__x86_64__)
__asm__(".text\n"
        ".global _start\n"
        "_start:\n"
        "  xor %rbp, %rbp\n"
        "  mov %rsp, %rdi\n"
        "  and $-16, %rsp\n"
        "  call start_c\n"
        "  hlt\n"
        /* The return from a signal handler, which x86_64 leaves to user
         * space (SA_RESTORER); init's handlers never run, see take_signals. */
        "rt_restore:\n"
        "  mov $15, %rax\n" /* __NR_rt_sigreturn, checked below */
        "  syscall\n");
_Static_assert(__NR_rt_sigreturn == 15, "x86_64's rt_sigreturn");
void rt_restore(void);
#define RESTORER rt_restore
#define SA_RESTORER_FLAG 0x04000000ul
#endif

/* The compiler may call these for struct copies and initialisers, and
 * escape.c uses them. Plain loops: this file is built without the loop
 * patterns that would turn them back into calls to themselves. */
void *
memcpy(void *dst, const void *src, size_t n)
{
  unsigned char *d = dst;
  const unsigned char *s = src;
  while (n--)
    *d++ = *s++;
  return dst;
}

void *
memset(void *dst, int c, size_t n)
{
  unsigned char *d = dst;
  while (n--)
    *d++ = (unsigned char)c;
  return dst;
}

size_t
strlen(const char *s)
{
  return rt_strlen(s);
}
#else
#include <errno.h>
#include <unistd.h>

long
rt_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
  long r = syscall(n, a, b, c, d, e, f);
  return r < 0 ? -errno : r;
}
#define RESTORER NULL
#define SA_RESTORER_FLAG 0ul
#endif

long
rt_sigaction(int sig, void (*handler)(int))
{
  struct rt_sigaction sa = {
      .handler = handler,
      .flags = handler ? SA_RESTORER_FLAG : 0,
      .restorer = handler ? RESTORER : NULL,
      .mask = 0,
  };
  return rt_syscall(__NR_rt_sigaction, sig, &sa, NULL, sizeof(rt_sigset));
}

long
rt_sigprocmask(int how, const rt_sigset *set)
{
  return rt_syscall(__NR_rt_sigprocmask, how, set, NULL, sizeof(rt_sigset));
}

long
rt_sigwaitinfo(const rt_sigset *set, struct rt_siginfo *info)
{
  return rt_syscall(__NR_rt_sigtimedwait, set, info, NULL, sizeof(rt_sigset));
}

/* A plain fork: no libc here keeps a pid cache or at-fork handlers. */
long
rt_fork(void)
{
  return rt_syscall6(__NR_clone, RT_SIGCHLD, 0, 0, 0, 0, 0);
}

long
rt_execve(const char *path, char *const argv[], char *const envp[])
{
  return rt_syscall(__NR_execve, path, argv, envp, 0);
}

long
rt_kill(int pid, int sig)
{
  return rt_syscall(__NR_kill, pid, sig, 0, 0);
}

long
rt_wait_any(int *status)
{
  return rt_syscall(__NR_wait4, -1, status, RT_WNOHANG, NULL);
}

void
rt_exit(int code)
{
  for (;;)
    rt_syscall(__NR_exit_group, code, 0, 0, 0);
}

size_t
rt_strlen(const char *s)
{
  size_t n = 0;
  while (s[n])
    n++;
  return n;
}

int
rt_streq(const char *a, const char *b)
{
  while (*a && *a == *b)
    a++, b++;
  return *a == *b;
}

void
rt_say(const char *s)
{
  size_t len = rt_strlen(s);
  while (len) {
    long n = rt_syscall(__NR_write, 2, s, len, 0);
    if (n == -EINTR)
      continue;
    if (n <= 0)
      return;
    s += n;
    len -= (size_t)n;
  }
}

static const struct {
  int err;
  const char *text;
} error_texts[] = {
    {EPERM, "Operation not permitted"},
    {ENOENT, "No such file or directory"},
    {EIO, "Input/output error"},
    {E2BIG, "Argument list too long"},
    {ENOEXEC, "Exec format error"},
    {EAGAIN, "Resource temporarily unavailable"},
    {ENOMEM, "Cannot allocate memory"},
    {EACCES, "Permission denied"},
    {EFAULT, "Bad address"},
    {ENOTDIR, "Not a directory"},
    {EISDIR, "Is a directory"},
    {EINVAL, "Invalid argument"},
    {ENFILE, "Too many open files in system"},
    {EMFILE, "Too many open files"},
    {ETXTBSY, "Text file busy"},
    {ENAMETOOLONG, "File name too long"},
    {ELOOP, "Too many levels of symbolic links"},
    {ELIBBAD, "Accessing a corrupted shared library"},
};

const char *
rt_strerror(int err)
{
  for (size_t i = 0; i < sizeof(error_texts) / sizeof(error_texts[0]); i++)
    if (error_texts[i].err == err)
      return error_texts[i].text;
  /* "error N", as glibc says "Unknown error N". */
  static char text[24] = "error ";
  char digits[12];
  int n = 0;
  unsigned int v = (unsigned int)err;
  do
    digits[n++] = (char)('0' + v % 10);
  while ((v /= 10) && n < (int)sizeof(digits));
  char *p = text + 6;
  while (n)
    *p++ = digits[--n];
  *p = 0;
  return text;
}
