/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch-init: pid 1 inside the sandbox. It starts the app, forwards the
 * signals hutch relays, reaps every orphan, freezes and thaws the sandbox
 * on request, and exits with the app's status (128+N when killed by N).
 *
 * It is built without a C library where it can be (init-rt.h says why):
 * everything here is a system call through init-rt. */
#include "escape.h"
#include "init-rt.h"
#include <linux/errno.h>

/* Real-time signals hutch freeze/thaw send when no cgroup freezer is
 * delegated (state/freeze.h); the app never sees them. */
#define SIG_FREEZE (RT_GLIBC_SIGRTMIN + 1)
#define SIG_THAW (RT_GLIBC_SIGRTMIN + 2)

static const int forwarded[] = {RT_SIGINT,  RT_SIGTERM, RT_SIGHUP,  RT_SIGQUIT,
                                RT_SIGUSR1, RT_SIGUSR2, RT_SIGWINCH};

static void
noop(int sig)
{
  (void)sig;
}

/* pid 1 receives a signal from outside its namespace only when it has a
 * handler, so install one even though signals are taken with
 * sigwaitinfo. They are blocked first: no handler ever runs. */
static void
take_signals(rt_sigset *set)
{
  *set = RT_SIGBIT(RT_SIGCHLD) | RT_SIGBIT(SIG_FREEZE) | RT_SIGBIT(SIG_THAW);
  for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
    *set |= RT_SIGBIT(forwarded[i]);
  rt_sigprocmask(RT_SIG_BLOCK, set);
  for (int sig = 1; sig <= RT_NSIG; sig++)
    if (*set & RT_SIGBIT(sig))
      rt_sigaction(sig, noop);
}

/* "hutch: NAME: WHAT" on stderr, NAME escaped (it comes from the user). */
static void
say_about(const char *name, const char *what, const char *detail)
{
  char escaped[1024];
  hutch_escape_buf(escaped, sizeof(escaped), name);
  rt_say("hutch: ");
  rt_say(escaped);
  rt_say(what);
  rt_say(detail);
  rt_say("\n");
}

static const char *
env_path(char **envp)
{
  for (char **e = envp; *e; e++) {
    const char *v = *e;
    if (v[0] == 'P' && v[1] == 'A' && v[2] == 'T' && v[3] == 'H' && v[4] == '=')
      return v + 5;
  }
  return "/bin:/usr/bin"; /* glibc's execvp without PATH */
}

/* execve, and a file with no #! line (ENOEXEC) run by /bin/sh, as
 * execvp does. Returns the error. */
static int
exec_file(const char *path, char **argv, char **envp)
{
  int err = (int)-rt_execve(path, argv, envp);
  if (err != ENOEXEC)
    return err;
  size_t argc = 0;
  while (argv[argc])
    argc++;
  /* sh's argv goes on the stack: at most 512 kB of the usual 8 MB. */
  if (argc > 65536)
    return E2BIG;
  char *sh_argv[argc + 2];
  sh_argv[0] = (char *)"/bin/sh";
  sh_argv[1] = (char *)path;
  for (size_t i = 1; i <= argc; i++)
    sh_argv[i + 1] = argv[i];
  rt_execve("/bin/sh", sh_argv, envp);
  return ENOEXEC;
}

/* execvp's search: each PATH entry in turn ("" is the current directory);
 * a denied entry is remembered and the search goes on, as in glibc. */
static int
exec_search(char **argv, char **envp)
{
  const char *name = argv[0];
  for (const char *n = name; *n; n++)
    if (*n == '/')
      return exec_file(name, argv, envp);
  size_t name_len = rt_strlen(name);
  if (name_len == 0)
    return ENOENT;
  int err = ENOENT, denied = 0;
  for (const char *dir = env_path(envp);;) {
    const char *end = dir;
    while (*end && *end != ':')
      end++;
    size_t dir_len = (size_t)(end - dir);
    char path[4096];
    if (dir_len + 1 + name_len < sizeof(path)) {
      size_t n = 0;
      for (const char *d = dir; d < end; d++)
        path[n++] = *d;
      if (n)
        path[n++] = '/';
      for (size_t i = 0; i <= name_len; i++)
        path[n++] = name[i];
      err = exec_file(path, argv, envp);
      if (err == EACCES)
        denied = 1;
      else if (err != ENOENT && err != ENOTDIR && err != ESTALE && err != ENODEV &&
               err != ETIMEDOUT)
        return err;
    }
    if (!*end)
      break;
    dir = end + 1;
  }
  return denied ? EACCES : err;
}

static void
exec_app(char **argv, char **envp)
{
  /* Every disposition back to the default, ignored ones included (hutch's
   * child may have inherited some), and nothing blocked. */
  for (int sig = 1; sig <= RT_NSIG; sig++)
    if (sig != RT_SIGKILL && sig != RT_SIGSTOP)
      rt_sigaction(sig, NULL);
  rt_sigset none = 0;
  rt_sigprocmask(RT_SIG_SETMASK, &none);
  int err = exec_search(argv, envp);
  if (err == ENOENT)
    say_about(argv[0], ": command not found inside the sandbox", "");
  else
    say_about(argv[0], ": cannot execute: ", rt_strerror(err));
  rt_exit(err == ENOENT ? 127 : 126);
}

static int
status_code(int status)
{
  if ((status & 0x7f) == 0) /* exited */
    return (status >> 8) & 0xff;
  if (((signed char)((status & 0x7f) + 1) >> 1) > 0) /* killed */
    return 128 + (status & 0x7f);
  return 1;
}

int
main(int argc, char **argv, char **envp)
{
  int first = 1;
  while (first < argc && !rt_streq(argv[first], "--"))
    first++;
  if (first + 1 >= argc) {
    rt_say("hutch-init: usage: hutch-init -- COMMAND [ARG...]\n");
    return 125;
  }
  rt_sigset set;
  take_signals(&set);
  long app = rt_fork();
  if (app < 0) {
    rt_say("hutch-init: fork: ");
    rt_say(rt_strerror((int)-app));
    rt_say("\n");
    return 125;
  }
  if (app == 0)
    exec_app(argv + first + 1, envp);

  for (;;) {
    struct rt_siginfo info;
    long sig = rt_sigwaitinfo(&set, &info);
    if (sig < 0)
      continue;
    if (sig == SIG_FREEZE || sig == SIG_THAW) {
      /* kill(-1) from pid 1 reaches every other process of the namespace. */
      rt_kill(-1, sig == SIG_FREEZE ? RT_SIGSTOP : RT_SIGCONT);
      continue;
    }
    if (sig != RT_SIGCHLD) {
      /* Signals from the terminal (SI_KERNEL) already reached the app's
       * process group; only relay what hutch or a user sent to us. */
      if (info.code != RT_SI_KERNEL)
        rt_kill((int)app, (int)sig);
      continue;
    }
    int status;
    long pid;
    while ((pid = rt_wait_any(&status)) > 0)
      if (pid == app)
        return status_code(status);
  }
}
