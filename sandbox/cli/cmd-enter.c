/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch enter NAME [-- COMMAND...]: a new process inside a running
 * sandbox, under the same rules as the sandbox's own: its namespaces
 * (user, mount, pid, ipc, uts, net, cgroup), root, uid, cgroup, rlimits and
 * nice value, no capabilities, no_new_privs, and the very seccomp program
 * the sandbox was started with (the launcher saved it as seccomp.bpf).
 *
 * It never gets the caller's terminal: any process of the sandbox could
 * open it through /proc/PID/fd, keep it after enter returns and read what
 * the user types next. From a terminal it gets a pseudo-terminal of its
 * own, relayed (launch/pty-relay.c); otherwise its fds are the caller's
 * pipes and files, in a new session. */
#include "launch.h"
#include "lockdown.h"
#include "pty-relay.h"
#include "cmd-common.h"
#include "commands.h"
#include "error.h"
#include "escape.h"
#include "file-read.h"
#include "procinfo.h"
#include "state.h"
#include "usage.h"
#include <errno.h>
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HUTCH_HAS_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(HUTCH_HAS_ASAN)
#include <sanitizer/lsan_interface.h>
#endif
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Everything about the sandbox that must be read from the host side,
 * before this process joins its namespaces. */
typedef struct {
  const HutchState *st;
  int pidfd;
  int root_fd;
  int cwd_fd;
  int ns_fds[HUTCH_NS_COUNT]; /* for kernels without setns on a pidfd */
  int flags;                  /* namespaces to join */
  char **envp;
  HutchRlimit rlimits[RLIM_NLIMITS];
  int nice;
  struct sock_filter *filter;
  unsigned short filter_len;
} Target;

static void
target_clear(Target *t)
{
  if (t->pidfd >= 0)
    close(t->pidfd);
  if (t->root_fd >= 0)
    close(t->root_fd);
  if (t->cwd_fd >= 0)
    close(t->cwd_fd);
  for (int i = 0; i < HUTCH_NS_COUNT; i++)
    if (t->ns_fds[i] >= 0)
      close(t->ns_fds[i]);
  g_strfreev(t->envp);
  g_free(t->filter);
}

static gboolean
fail_errno(GError **error, const char *what, const HutchState *st)
{
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot enter sandbox %s: %s: %s", st->name,
              what, g_strerror(errno));
  return FALSE;
}

static char **
read_environ(pid_t pid)
{
  g_autofree char *path = g_strdup_printf("/proc/%d/environ", (int)pid);
  g_autofree char *data = NULL;
  gsize len;
  if (!g_file_get_contents(path, &data, &len, NULL))
    return NULL;
  GPtrArray *env = g_ptr_array_new();
  for (gsize off = 0; off < len; off += strlen(data + off) + 1)
    if (data[off])
      g_ptr_array_add(env, g_strdup(data + off));
  g_ptr_array_add(env, NULL);
  char **envp = (char **)g_ptr_array_free(env, FALSE);
  /* What belongs to this launch rather than to the sandbox's first one:
   * the terminal, and the desktop's startup notification (a second launch
   * from the menu, hutch run --join). */
  const char *per_launch[] = {"TERM", "DESKTOP_STARTUP_ID", "XDG_ACTIVATION_TOKEN"};
  for (gsize i = 0; i < G_N_ELEMENTS(per_launch); i++) {
    const char *value = g_getenv(per_launch[i]);
    if (value)
      envp = g_environ_setenv(envp, per_launch[i], value, TRUE);
  }
  return envp;
}

/* With x11=nested the app's DISPLAY is its own server's, set by the
 * helper that started it (not in init's environment): the helper leaves
 * it in x11/app-env of the sandbox's directory. Only those two variables
 * are taken from that file, which the sandbox can write. */
static char **
nested_display_env(char **envp, const char *dir)
{
  g_autofree char *path = g_build_filename(dir, "x11", "app-env", NULL);
  g_autofree char *text = NULL;
  if (!hutch_read_file(path, 4096, &text, NULL, NULL))
    return envp;
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (char **l = lines; *l; l++) {
    const char *eq = strchr(*l, '=');
    if (!eq)
      continue;
    g_autofree char *key = g_strndup(*l, eq - *l);
    if (g_str_equal(key, "DISPLAY") || g_str_equal(key, "XAUTHORITY"))
      envp = g_environ_setenv(envp, key, eq + 1, TRUE);
  }
  return envp;
}

static gboolean
load_filter(Target *t, GError **error)
{
  if (!t->st->seccomp)
    return TRUE;
  g_autofree char *path = g_build_filename(t->st->dir, "seccomp.bpf", NULL);
  g_autofree char *data = NULL;
  gsize len;
  if (!hutch_read_file(path, (BPF_MAXINSNS + 1) * sizeof(struct sock_filter), &data, &len, error)) {
    g_prefix_error(error, "cannot enter sandbox %s without its seccomp filter: ", t->st->name);
    return FALSE;
  }
  if (len == 0 || len % sizeof(struct sock_filter) ||
      len / sizeof(struct sock_filter) > BPF_MAXINSNS) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "cannot enter sandbox %s: %s is not a seccomp program", t->st->name, path);
    return FALSE;
  }
  t->filter = (struct sock_filter *)g_steal_pointer(&data);
  t->filter_len = (unsigned short)(len / sizeof(struct sock_filter));
  return TRUE;
}

static gboolean
open_namespaces(Target *t, GError **error)
{
  const HutchState *st = t->st;
  for (int i = 0; i < HUTCH_NS_COUNT; i++) {
    guint64 theirs = hutch_proc_ns_id(st->init_pid, hutch_namespaces[i].name);
    if (!theirs || theirs == hutch_proc_ns_id(getpid(), hutch_namespaces[i].name))
      continue;
    if (st->ns[i] && theirs != st->ns[i]) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                  "cannot enter sandbox %s: its %s namespace is not the one recorded", st->name,
                  hutch_namespaces[i].name);
      return FALSE;
    }
    g_autofree char *path =
        g_strdup_printf("/proc/%d/ns/%s", (int)st->init_pid, hutch_namespaces[i].name);
    t->ns_fds[i] = open(path, O_RDONLY | O_CLOEXEC);
    if (t->ns_fds[i] < 0)
      return fail_errno(error, path, st);
    t->flags |= hutch_namespaces[i].flag;
  }
  return TRUE;
}

static gboolean
prepare(Target *t, GError **error)
{
  const HutchState *st = t->st;
  pid_t pid = st->init_pid;
  /* Open the pidfd first and check the start time after: if the pid was
   * reused in between, the check fails. */
  t->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  if (!hutch_proc_alive(pid, st->init_start)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_NOT_FOUND, "sandbox %s has no running init",
                st->name);
    return FALSE;
  }
  g_autofree char *root = g_strdup_printf("/proc/%d/root", (int)pid);
  g_autofree char *cwd = g_strdup_printf("/proc/%d/cwd", (int)pid);
  t->root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (t->root_fd < 0)
    return fail_errno(error, root, st);
  t->cwd_fd = open(cwd, O_PATH | O_DIRECTORY | O_CLOEXEC);
  t->envp = read_environ(pid);
  if (!t->envp)
    return fail_errno(error, "read its environment", st);
  t->envp = nested_display_env(t->envp, st->dir);
  for (int r = 0; r < RLIM_NLIMITS; r++) {
    t->rlimits[r].resource = r;
    if (prlimit(pid, (enum __rlimit_resource)r, NULL, &t->rlimits[r].value) < 0)
      return fail_errno(error, "read its resource limits", st);
  }
  errno = 0;
  t->nice = getpriority(PRIO_PROCESS, (id_t)pid);
  if (errno)
    return fail_errno(error, "read its nice value", st);
  return load_filter(t, error) && open_namespaces(t, error);
}

/* Into the sandbox's cgroup first: it must be done from the host side, and
 * a child forked later starts there. */
static gboolean
join_cgroup(const Target *t, GError **error)
{
  if (!t->st->cgroup)
    return TRUE;
  g_autofree char *procs = g_build_filename(t->st->cgroup, "cgroup.procs", NULL);
  g_autofree char *self = g_strdup_printf("%d", (int)getpid());
  if (g_file_set_contents_full(procs, self, -1, G_FILE_SET_CONTENTS_NONE, 0644, error))
    return TRUE;
  g_prefix_error(error, "cannot enter sandbox %s: cannot join its cgroup: ", t->st->name);
  return FALSE;
}

static gboolean
join_namespaces(const Target *t, GError **error)
{
  /* One call joins them all at once (Linux 5.8); else one by one, in the
   * order the table gives. */
  if (t->pidfd >= 0 && setns(t->pidfd, t->flags) == 0)
    return TRUE;
  for (int k = 0; k < HUTCH_NS_COUNT; k++) {
    HutchNs i = hutch_ns_join_order[k];
    if (t->ns_fds[i] >= 0 && setns(t->ns_fds[i], hutch_namespaces[i].flag) < 0) {
      g_autofree char *what = g_strdup_printf("join its %s namespace", hutch_namespaces[i].name);
      return fail_errno(error, what, t->st);
    }
  }
  return TRUE;
}

/* Joining a mount namespace puts the root at the namespace's root; make sure
 * that is the sandbox's root and not a mount underneath it. */
static gboolean
enter_root(const Target *t, GError **error)
{
  struct stat want, have;
  if (fstat(t->root_fd, &want) < 0 || stat("/", &have) < 0)
    return fail_errno(error, "check its root", t->st);
  if (want.st_dev == have.st_dev && want.st_ino == have.st_ino)
    return TRUE;
  if (fchdir(t->root_fd) < 0 || chroot(".") < 0)
    return fail_errno(error, "enter its root", t->st);
  return TRUE;
}

static G_GNUC_NORETURN void
die(const char *what, int err)
{
  fprintf(stderr, "hutch: enter: %s: %s\n", what, strerror(err));
  _exit(HUTCH_EXIT_FAILURE);
}

/* The last steps before exec: the lockdown the sandbox's own init went
 * through, with the limits and filter read from it. */
static G_GNUC_NORETURN void
exec_inside(const Target *t, char **argv, const HutchPty *pty)
{
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
    die("set parent-death signal", errno);
  if (t->cwd_fd < 0 || fchdir(t->cwd_fd) < 0)
    if (chdir("/") < 0)
      die("chdir /", errno);
  HutchLockdown lockdown = {
      .new_session = TRUE,
      .tty_fd = pty->slave,
      .tty_fds = pty->master >= 0 ? pty->tty_fds : 0,
      .rlimits = t->rlimits,
      .n_rlimits = RLIM_NLIMITS,
      .set_nice = TRUE,
      .nice = t->nice,
      .filter = t->filter,
      .filter_len = t->filter_len,
  };
  const char *step = "";
  int err = hutch_lockdown(&lockdown, &step);
  if (err)
    die(step, err);
  environ = t->envp;
  execvp(argv[0], argv);
  err = errno;
  char name[1024];
  hutch_escape_buf(name, sizeof(name), argv[0]);
  fprintf(stderr, "hutch: %s: %s\n", name,
          err == ENOENT ? "command not found inside the sandbox" : strerror(err));
  _exit(err == ENOENT ? 127 : 126);
}

/* Wait for the entered command (no terminal: nothing to relay); pass on
 * the signals meant for it. */
static int
wait_child(pid_t child)
{
  sigset_t set;
  sigprocmask(SIG_BLOCK, NULL, &set);
  for (;;) {
    int status;
    pid_t got = waitpid(child, &status, WNOHANG);
    if (got == child)
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    siginfo_t info;
    int sig = sigwaitinfo(&set, &info);
    if (sig <= 0 || sig == SIGCHLD)
      continue;
    kill(child, sig);
  }
}

/* LeakSanitizer checks at exit by ptracing this process, which a
 * non-dumpable process without capabilities refuses: it would spin
 * forever. Sanitized builds check now, before that, and not at exit. */
static void
leak_check_now(void)
{
#if defined(__SANITIZE_ADDRESS__) || defined(HUTCH_HAS_ASAN)
  __lsan_do_leak_check();
#endif
}

static int
enter(const HutchState *st, char **argv, GError **error)
{
  Target t = {.st = st, .pidfd = -1, .root_fd = -1, .cwd_fd = -1};
  for (int i = 0; i < HUTCH_NS_COUNT; i++)
    t.ns_fds[i] = -1;
  /* Once in the sandbox's user namespace this process holds capabilities
   * there; non-dumpable, the sandbox's processes cannot ptrace it. */
  leak_check_now();
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  sigset_t set;
  hutch_forwarded_signals(&set);
  sigprocmask(SIG_BLOCK, &set, NULL);
  unsigned tty_fds = hutch_pty_terminal_fds();
  HutchPty pty = HUTCH_PTY_INIT;
  if (!prepare(&t, error) || (tty_fds && !hutch_pty_open(&pty, tty_fds, t.root_fd, error)) ||
      !join_cgroup(&t, error) || !join_namespaces(&t, error) || !enter_root(&t, error)) {
    hutch_pty_close(&pty);
    target_clear(&t);
    return -1;
  }
  pid_t child = fork();
  if (child == 0)
    exec_inside(&t, argv, &pty);
  if (child < 0) {
    fail_errno(error, "fork", st);
    hutch_pty_close(&pty);
    target_clear(&t);
    return -1;
  }
  /* This process stays outside the sandbox's pid namespace, waiting; it
   * needs none of the rights it gained by joining. */
  hutch_lockdown_drop_caps();
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  int code = pty.master >= 0 ? hutch_pty_relay(&pty, child, &set) : wait_child(child);
  target_clear(&t);
  return code;
}

int
hutch_cmd_enter(int argc, char **argv, GError **error)
{
  if (!hutch_cmd_parse("NAME [-- COMMAND [ARG...]]",
                       "Run COMMAND (default /bin/sh) inside a running sandbox, under its "
                       "namespaces, root, limits, capabilities and seccomp filter.",
                       NULL, &argc, &argv, error))
    return -1;
  if (argc < 2) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "enter: expected a sandbox name (see 'hutch ls')");
    return -1;
  }
  const char *name = argv[1];
  int first = argc > 2 && g_str_equal(argv[2], "--") ? 3 : 2;
  char *default_cmd[] = {"/bin/sh", NULL};
  char **cmd = first < argc ? argv + first : default_cmd;
  g_autoptr(HutchState) st = hutch_state_find(name, error);
  if (!st)
    return -1;
  g_autofree HutchUsage *u = hutch_usage_measure_one(st);
  if (u[0].state != HUTCH_SB_RUNNING) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_FAILED, "sandbox %s is %s%s", name,
                hutch_sandbox_state_name(u[0].state),
                u[0].state == HUTCH_SB_FROZEN ? "; thaw it first ('hutch thaw')" : "");
    return -1;
  }
  return enter(st, cmd, error);
}
