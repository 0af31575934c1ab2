/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "pasta.h"
#include "error.h"
#include "procinfo.h"
#include "state.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* pasta needs a few tens of milliseconds; a loaded machine gets plenty more. */
#define READY_TIMEOUT_MS 15000
/* The descriptor pasta writes its pid to, as --pid /proc/self/fd/N. */
#define READY_FD 3

struct HutchPasta {
  char **argv;
  char *log_path;
  char *state_dir;
  pid_t pid;    /* -1 until started */
  int ready_fd; /* our end of the pid pipe; -1 when closed */
  gboolean reaped;
  int status; /* once reaped */
};

char *
hutch_pasta_find(void)
{
  return g_find_program_in_path("pasta");
}

HutchPasta *
hutch_pasta_new(const char *path, const char *const *args, const char *log_path,
                const char *state_dir)
{
  HutchPasta *pasta = g_new0(HutchPasta, 1);
  GPtrArray *argv = g_ptr_array_new();
  g_ptr_array_add(argv, g_strdup(path));
  for (const char *const *a = args; *a; a++)
    g_ptr_array_add(argv, g_strdup(*a));
  g_ptr_array_add(argv, g_strdup_printf("--pid=/proc/self/fd/%d", READY_FD));
  g_ptr_array_add(argv, NULL); /* the target pid, set by start */
  g_ptr_array_add(argv, NULL);
  pasta->argv = (char **)g_ptr_array_free(argv, FALSE);
  pasta->log_path = g_strdup(log_path);
  pasta->state_dir = g_strdup(state_dir);
  pasta->pid = -1;
  pasta->ready_fd = -1;
  return pasta;
}

void
hutch_pasta_free(HutchPasta *pasta)
{
  if (!pasta)
    return;
  hutch_pasta_stop(pasta);
  g_strfreev(pasta->argv);
  g_free(pasta->log_path);
  g_free(pasta->state_dir);
  g_free(pasta);
}

static pid_t spawning_parent;

/* In the child, between fork and exec: async-signal-safe calls only. */
static void
child_setup(gpointer unused)
{
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL); /* hutch blocks the signals it forwards */
  setsid();
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != spawning_parent) /* hutch died before the setting took */
    _exit(127);
}

static int
open_log(const char *path, GError **error)
{
  int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot create %s: %s", path,
                g_strerror(errno));
  return fd;
}

static void
record_cleanup(HutchPasta *pasta)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data =
      g_strdup_printf("%d %" G_GUINT64_FORMAT, (int)pasta->pid, hutch_proc_start_time(pasta->pid));
  /* Not fatal: pasta dies with hutch anyway (PR_SET_PDEATHSIG). */
  if (pasta->state_dir &&
      !hutch_state_add_cleanup(pasta->state_dir, HUTCH_PASTA_CLEANUP, data, &error))
    g_printerr("hutch: warning: %s\n", error->message);
}

gboolean
hutch_pasta_start(HutchPasta *pasta, pid_t target, GError **error)
{
  g_return_val_if_fail(pasta->pid < 0, FALSE);
  int log_fd = open_log(pasta->log_path, error);
  if (log_fd < 0)
    return FALSE;
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot make a pipe: %s", g_strerror(errno));
    close(log_fd);
    return FALSE;
  }
  guint last = g_strv_length(pasta->argv);
  pasta->argv[last] = g_strdup_printf("%d", (int)target);
  int source_fds[] = {pipe_fds[1]};
  int target_fds[] = {READY_FD};
  GPid pid = -1;
  spawning_parent = getpid();
  gboolean ok = g_spawn_async_with_pipes_and_fds(
      "/", (const char *const *)pasta->argv, NULL,
      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL | G_SPAWN_STDOUT_TO_DEV_NULL,
      child_setup, NULL, -1, -1, log_fd, source_fds, target_fds, 1, &pid, NULL, NULL, NULL, error);
  close(log_fd);
  close(pipe_fds[1]);
  if (!ok) {
    close(pipe_fds[0]);
    g_prefix_error(error, "cannot start %s: ", pasta->argv[0]);
    return FALSE;
  }
  pasta->pid = pid;
  pasta->ready_fd = pipe_fds[0];
  record_cleanup(pasta);
  return TRUE;
}

static void
reap(HutchPasta *pasta, int flags)
{
  if (pasta->pid <= 0 || pasta->reaped)
    return;
  int status;
  pid_t got;
  do
    got = waitpid(pasta->pid, &status, flags);
  while (got < 0 && errno == EINTR);
  if (got == pasta->pid || (got < 0 && errno == ECHILD)) {
    pasta->reaped = TRUE;
    pasta->status = got == pasta->pid ? status : 0;
  }
}

static char *
describe_status(int status)
{
  if (WIFSIGNALED(status))
    return g_strdup_printf("killed by signal %d", WTERMSIG(status));
  return g_strdup_printf("exit status %d", WEXITSTATUS(status));
}

/* pasta's last words: the last line of its log that is not its banner or
 * a complaint about syslog, without the timestamp and level. */
static char *
last_words(const char *log_path)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents(log_path, &text, NULL, NULL))
    return NULL;
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (int i = (int)g_strv_length(lines) - 1; i >= 0; i--) {
    char *line = g_strstrip(lines[i]);
    if (!*line || g_str_has_prefix(line, "Failed to send") || strstr(line, "version:"))
      continue;
    const char *p = strstr(line, ": ERROR:");
    p = p ? p + strlen(": ERROR:") : line;
    return g_strdup(g_strchug((char *)p));
  }
  return NULL;
}

/* A pasta that closed the pipe without its pid is exiting: give it a
 * moment to, so its status can be told, and make sure it does. */
static void
reap_failed(HutchPasta *pasta)
{
  for (int i = 0; i < 100 && !pasta->reaped; i++) {
    reap(pasta, WNOHANG);
    if (!pasta->reaped)
      g_usleep(10000);
  }
  if (!pasta->reaped) {
    kill(pasta->pid, SIGKILL);
    reap(pasta, 0);
  }
}

gboolean
hutch_pasta_wait_ready(HutchPasta *pasta, GError **error)
{
  struct pollfd pfd = {.fd = pasta->ready_fd, .events = POLLIN};
  int n;
  do
    n = poll(&pfd, 1, READY_TIMEOUT_MS);
  while (n < 0 && errno == EINTR);
  char buf[32];
  ssize_t got = n > 0 ? read(pasta->ready_fd, buf, sizeof(buf)) : -1;
  close(pasta->ready_fd);
  pasta->ready_fd = -1;
  if (got > 0)
    return TRUE;
  g_autofree char *words = NULL;
  if (n == 0) { /* hung: the release kills it */
    words = last_words(pasta->log_path);
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "network: pasta did not connect the sandbox within %d s%s%s",
                READY_TIMEOUT_MS / 1000, words ? ": " : "", words ? words : "");
    return FALSE;
  }
  reap_failed(pasta);
  words = last_words(pasta->log_path);
  g_autofree char *status = describe_status(pasta->status);
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "network: pasta failed (%s): %s", status,
              words ? words : "it said nothing");
  return FALSE;
}

void
hutch_pasta_stop(HutchPasta *pasta)
{
  if (pasta->ready_fd >= 0) {
    close(pasta->ready_fd);
    pasta->ready_fd = -1;
  }
  if (pasta->pid <= 0 || pasta->reaped)
    return;
  reap(pasta, WNOHANG);
  if (pasta->reaped) {
    g_autofree char *status = describe_status(pasta->status);
    g_autofree char *words = last_words(pasta->log_path);
    g_printerr("hutch: warning: pasta, the sandbox's network, ended before the sandbox (%s)%s%s\n",
               status, words ? ": " : "", words ? words : "");
    return;
  }
  kill(pasta->pid, SIGKILL);
  reap(pasta, 0);
}

void
hutch_pasta_cleanup(const char *data)
{
  int pid;
  guint64 start;
  if (sscanf(data, "%d %" G_GUINT64_FORMAT, &pid, &start) != 2 || pid <= 0)
    return;
  if (!hutch_proc_alive(pid, start))
    return; /* gone, as it should be: it dies with hutch */
  g_autofree char *comm_path = g_strdup_printf("/proc/%d/comm", pid);
  g_autofree char *comm = NULL;
  if (g_file_get_contents(comm_path, &comm, NULL, NULL) &&
      (g_str_has_prefix(comm, "pasta") || g_str_has_prefix(comm, "passt")))
    kill(pid, SIGKILL);
}
