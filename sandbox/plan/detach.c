/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "detach.h"
#include "error.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int report_fd = -1;

static int
caller_side(pid_t supervisor, int fd)
{
  /* The caller may be interrupted while it waits; the supervisor lives on. */
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  g_autoptr(GString) msg = g_string_new(NULL);
  char buf[256];
  gssize n;
  while ((n = read(fd, buf, sizeof(buf))) != 0) {
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      break;
    g_string_append_len(msg, buf, n);
  }
  close(fd);
  if (g_str_has_prefix(msg->str, "ok ")) {
    fputs(msg->str + 3, stdout);
    return 0;
  }
  /* No "ok": the supervisor failed (it printed why) or the app ended
   * before it was seen running; either way its status is the answer. */
  int status;
  while (waitpid(supervisor, &status, 0) < 0)
    if (errno != EINTR)
      return HUTCH_EXIT_FAILURE;
  return WIFEXITED(status) ? WEXITSTATUS(status) : HUTCH_EXIT_FAILURE;
}

gboolean
hutch_detach_fork(int *exit_code)
{
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0) {
    fprintf(stderr, "hutch: --detach: pipe: %s\n", g_strerror(errno));
    *exit_code = HUTCH_EXIT_FAILURE;
    return TRUE;
  }
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    fprintf(stderr, "hutch: --detach: fork: %s\n", g_strerror(errno));
    *exit_code = HUTCH_EXIT_FAILURE;
    return TRUE;
  }
  if (pid > 0) {
    close(fds[1]);
    *exit_code = caller_side(pid, fds[0]);
    return TRUE;
  }
  close(fds[0]);
  report_fd = fds[1];
  setsid();
  return FALSE;
}

/* Which of 0, 1, 2 to replace: everything but regular files. */
static guint
non_file_stdio(void)
{
  guint mask = 0;
  for (int fd = 0; fd < 3; fd++) {
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
      mask |= 1u << fd;
  }
  return mask;
}

char *
hutch_detach_log_path(const char *name)
{
  g_autofree char *file = g_strconcat(name, ".log", NULL);
  return g_build_filename(g_get_user_state_dir(), "hutch", "logs", file, NULL);
}

/* Appended to, so a second run of the same name keeps the first's output;
 * the supervisor itself writes its later messages there too. */
static int
open_log(const char *name, GError **error)
{
  g_autofree char *path = hutch_detach_log_path(name);
  g_autofree char *dir = g_path_get_dirname(path);
  int fd = -1;
  if (g_mkdir_with_parents(dir, 0700) == 0)
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "--detach: cannot open the log %s: %s", path,
                g_strerror(errno));
  return fd;
}

static void
close_null_fd(HutchHostResource *res)
{
  close(GPOINTER_TO_INT(res->data));
}

gboolean
hutch_detach_plan(HutchPlan *plan, GError **error)
{
  if (!plan->policy->detach)
    return TRUE;
  plan->stdio_null_mask = non_file_stdio();
  if (!plan->stdio_null_mask)
    return TRUE;
  plan->stdio_null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (plan->stdio_null_fd < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "--detach: cannot open /dev/null: %s",
                g_strerror(errno));
    return FALSE;
  }
  hutch_plan_add_resource(plan, "/dev/null for a detached sandbox", close_null_fd,
                          GINT_TO_POINTER(plan->stdio_null_fd), NULL);
  if (plan->policy->dry_run) {
    g_autofree char *log = hutch_detach_log_path(plan->name);
    hutch_plan_note(plan,
                    "--detach: the sandbox's input is /dev/null, its output and errors (unless "
                    "files) go to %s",
                    log);
    return TRUE;
  }
  plan->stdio_log_fd = open_log(plan->name, error);
  if (plan->stdio_log_fd < 0)
    return FALSE;
  hutch_plan_add_resource(plan, "the detached sandbox's log", close_null_fd,
                          GINT_TO_POINTER(plan->stdio_log_fd), NULL);
  g_autofree char *log = hutch_detach_log_path(plan->name);
  hutch_plan_note(plan,
                  "--detach: the sandbox's input is /dev/null, its output and errors (unless "
                  "files) go to %s",
                  log);
  return TRUE;
}

void
hutch_detach_started(const HutchPlan *plan)
{
  if (report_fd < 0)
    return;
  g_autofree char *msg = g_strdup_printf("ok %s\n", plan->name);
  gssize n G_GNUC_UNUSED = write(report_fd, msg, strlen(msg));
  close(report_fd);
  report_fd = -1;
  /* Like any daemon: keep no directory of the caller's busy. */
  if (chdir("/") < 0)
    g_debug("--detach: chdir /: %s", g_strerror(errno));
  guint mask = non_file_stdio();
  int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  for (int fd = 0; fd < 3 && null_fd >= 0; fd++)
    if (mask & (1u << fd))
      dup2(fd > 0 && plan->stdio_log_fd >= 0 ? plan->stdio_log_fd : null_fd, fd);
  if (null_fd >= 0)
    close(null_fd);
}

gboolean
hutch_detach_reported(void)
{
  return report_fd < 0;
}
