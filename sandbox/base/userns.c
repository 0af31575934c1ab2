/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "userns.h"
#include "error.h"
#include "idmap.h"
#include "mapped-clone.h"
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

gboolean
hutch_userns_idmap(HutchIdMap *map, const char *what, GError **error)
{
  struct passwd *pw = getpwuid(getuid());
  const char *user = pw ? pw->pw_name : "USER";
  hutch_idmap_plan(map, getuid(), getgid(), pw ? pw->pw_name : NULL);
  if (map->method == HUTCH_IDMAP_SUBORDINATE)
    return TRUE;
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "%s needs subordinate ids, so that files keep their many owners (%s): add the "
              "line '%s:100000:65536' to /etc/subuid and to /etc/subgid (as root: usermod "
              "--add-subuids 100000-165535 --add-subgids 100000-165535 %s)",
              what, map->why, user, user);
  hutch_idmap_clear(map);
  return FALSE;
}

static G_GNUC_NORETURN void
child_fail(int err_fd, int err)
{
  ssize_t n G_GNUC_UNUSED = write(err_fd, &err, sizeof(err));
  _exit(127);
}

typedef struct {
  int out_fd;
  int keep_fd;
  char **argv;
  char **envp;
} SpawnArgs;

static int
exit_code(int status)
{
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* End everything else in the namespace and reap it; only then exit, which
 * drops the lock on KEEP_FD: whoever takes that lock next finds no writer. */
static G_GNUC_NORETURN void
init_finish(int code)
{
  kill(-1, SIGKILL); /* all of this namespace but us */
  while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
    ;
  _exit(code);
}

/* Pid 1 of the namespace: reap whatever dies; end when the command ends
 * (with its status, a signal as 128+N) or when hutch dies (SIGTERM from
 * outside, its parent-death signal). */
static G_GNUC_NORETURN void
init_loop(pid_t command, const sigset_t *waited)
{
  for (;;) {
    siginfo_t si;
    int sig = sigwaitinfo(waited, &si);
    if (sig == SIGTERM && si.si_pid == 0) /* 0: sent from outside the namespace */
      init_finish(128 + SIGTERM);
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
      if (pid == command)
        init_finish(exit_code(status));
  }
}

/* The init keeps nothing of hutch's but KEEP_FD: its stdout pipe, say,
 * must reach EOF when the command and its children are done. */
static void
close_all_but(int keep_fd)
{
  if (keep_fd < 0) {
    if (close_range(0, ~0U, 0) == 0)
      return;
  } else if ((keep_fd == 0 || close_range(0, (unsigned int)keep_fd - 1, 0) == 0) &&
             close_range((unsigned int)keep_fd + 1, ~0U, 0) == 0) {
    return;
  }
  long max = sysconf(_SC_OPEN_MAX); /* kernels before 5.9 */
  for (long fd = 0; fd < (max > 0 ? max : 1024); fd++)
    if (fd != keep_fd)
      close((int)fd);
}

/* In the command's process: its stdio, every signal unblocked, exec. */
static G_GNUC_NORETURN void
command_exec(const SpawnArgs *a, int err_fd)
{
  if (a->out_fd >= 0 && (dup2(a->out_fd, STDOUT_FILENO) < 0 || dup2(a->out_fd, STDERR_FILENO) < 0))
    child_fail(err_fd, errno);
  int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (in >= 0)
    dup2(in, STDIN_FILENO);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  execve(a->argv[0], a->argv, a->envp);
  child_fail(err_fd, errno);
}

/* In the child, after the parent wrote the maps: become the namespace's
 * root, keep mounts private, then stay as its init with the command as
 * its child. The init, not the command, holds KEEP_FD: a command may close
 * or reuse any descriptor (debootstrap claims fds 4 to 8), and the pid
 * 1 the kernel kills drops its descriptors before the rest of the
 * namespace is gone; this init drops it only after. */
static void
child_exec(void *data, int go_fd, int err_fd)
{
  const SpawnArgs *a = data;
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (!hutch_mapped_child_wait(go_fd))
    _exit(127);
  if (setgroups(0, NULL) < 0 || setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
    child_fail(err_fd, errno);
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
    child_fail(err_fd, errno);
  /* An ignored SIGCHLD (inherited through hutch's exec) would reap the
   * command behind our back and lose its status. */
  signal(SIGCHLD, SIG_DFL);
  sigset_t waited;
  sigemptyset(&waited);
  sigaddset(&waited, SIGCHLD);
  sigaddset(&waited, SIGTERM);
  sigprocmask(SIG_BLOCK, &waited, NULL);
  /* The id change cleared the parent-death signal: set it again, as a
   * signal this init waits for, then see whether hutch died before (the
   * error pipe then has no reader). */
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  struct pollfd parent = {.fd = err_fd, .events = POLLOUT};
  if (poll(&parent, 1, 0) < 0 || (parent.revents & POLLERR))
    _exit(127);
  pid_t command = fork();
  if (command < 0)
    child_fail(err_fd, errno);
  if (command == 0)
    command_exec(a, err_fd);
  close_all_but(a->keep_fd);
  init_loop(command, &waited);
}

gboolean
hutch_userns_spawn(const HutchIdMap *map, char **argv, char **envp, int out_fd, int keep_fd,
                   pid_t *pid_out, GError **error)
{
  SpawnArgs args = {out_fd, keep_fd, argv, envp};
  HutchMappedChild child = HUTCH_MAPPED_CHILD_INIT;
  int err = hutch_mapped_clone(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID, -1, child_exec, &args,
                               &child, NULL);
  if (err) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot create a user namespace: %s",
                g_strerror(err));
    return FALSE;
  }
  if (!hutch_mapped_child_map(&child, map, error)) {
    hutch_mapped_child_reap(&child);
    return FALSE;
  }
  int child_errno = 0;
  gssize n = hutch_mapped_child_result(&child, &child_errno, sizeof(child_errno));
  if (n != 0) {
    hutch_mapped_child_reap(&child);
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot run %s in a user namespace: %s",
                argv[0], n > 0 ? g_strerror(child_errno) : "it died while it was set up");
    return FALSE;
  }
  *pid_out = child.pid;
  return TRUE;
}

gboolean
hutch_userns_run(const HutchIdMap *map, char **argv, GError **error)
{
  pid_t pid;
  g_auto(GStrv) envp = g_strsplit("PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C", " ", -1);
  if (!hutch_userns_spawn(map, argv, envp, -1, -1, &pid, error))
    return FALSE;
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "waitpid: %s", g_strerror(errno));
      return FALSE;
    }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return TRUE;
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "%s failed (%s %d)", argv[0],
              WIFEXITED(status) ? "exit status" : "signal",
              WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
  return FALSE;
}

gboolean
hutch_userns_remove(const HutchIdMap *map, const char *path, GError **error)
{
  if (!g_file_test(path, G_FILE_TEST_EXISTS) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK))
    return TRUE;
  char *argv[] = {"/bin/rm", "-rf", "--one-file-system", "--", (char *)path, NULL};
  if (hutch_userns_run(map, argv, error))
    return TRUE;
  g_prefix_error(error, "cannot remove %s: ", path);
  return FALSE;
}
