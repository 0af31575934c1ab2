/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "undo.h"
#include "atomic-file.h"
#include "print.h"
#include "procinfo.h"
#include "state.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* How long a command waits for the undo of a dead sandbox before it leaves
 * the rest to the background process: long enough for a server that
 * answers, short enough not to be felt when one does not. */
#define UNDO_WAIT_MS 500
/* A background undo that takes longer gives up; the next command retries. */
#define UNDO_LIMIT_S 60
/* After an undo failed, the next try waits this long. */
#define RETRY_S 2
/* Present in a stale directory whose last undo left entries behind. */
#define FAILED_MARK "undo-failed"

/* --- recording ---------------------------------------------------------- */

gboolean
hutch_state_add_cleanup(const char *dir, const char *type, const char *data, GError **error)
{
  /* Plan tasks record theirs from their own threads. */
  static GMutex lock;
  g_autoptr(GMutexLocker) locked G_GNUC_UNUSED = g_mutex_locker_new(&lock);
  g_autofree char *path = g_build_filename(dir, "cleanup", NULL);
  g_autofree char *old = NULL;
  g_file_get_contents(path, &old, NULL, NULL);
  g_autofree char *escaped = g_strescape(data, NULL);
  g_autofree char *text = g_strdup_printf("%s%s %s\n", old ? old : "", type, escaped);
  if (!hutch_file_replace(path, text, strlen(text), 0600, error)) {
    g_prefix_error(error, "cannot record how to undo %s: ", type);
    return FALSE;
  }
  return TRUE;
}

static const HutchCleanupHandler *cleanup_handlers;

void
hutch_state_set_cleanup_handlers(const HutchCleanupHandler *handlers)
{
  cleanup_handlers = handlers;
}

gboolean
hutch_stale_can_undo(const char *dir)
{
  g_autofree char *path = g_build_filename(dir, "cleanup", NULL);
  return cleanup_handlers || access(path, F_OK) < 0;
}

/* --- claiming ----------------------------------------------------------- */

const char *
hutch_state_self_tag(void)
{
  static char tag[64];
  static pid_t tag_pid;
  if (tag_pid != getpid()) {
    tag_pid = getpid();
    snprintf(tag, sizeof(tag), "%d-%llu", (int)tag_pid,
             (unsigned long long)hutch_proc_start_time(tag_pid));
  }
  return tag;
}

char *
hutch_stale_claim(const char *root, const char *entry, const char *name)
{
  g_autofree char *from = g_build_filename(root, entry, NULL);
  char *claimed =
      g_strdup_printf("%s/" HUTCH_STALE_PREFIX "%s-%s", root, hutch_state_self_tag(), name);
  if (rename(from, claimed) == 0)
    return claimed;
  g_free(claimed);
  return NULL;
}

/* --- undoing ------------------------------------------------------------ */

/* The entries of DIR's cleanup file, oldest first. */
static char **
read_entries(const char *dir)
{
  g_autofree char *path = g_build_filename(dir, "cleanup", NULL);
  g_autofree char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, NULL))
    return g_new0(char *, 1);
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  GPtrArray *out = g_ptr_array_new();
  for (char **l = lines; *l; l++)
    if (**l)
      g_ptr_array_add(out, g_strdup(*l));
  g_ptr_array_add(out, NULL);
  return (char **)g_ptr_array_free(out, FALSE);
}

/* Undo one "TYPE DATA" entry; FALSE (with ERROR) when it must be kept. */
static gboolean
undo_entry(const char *sandbox, const char *line, GError **error)
{
  const char *space = strchr(line, ' ');
  if (!space)
    return TRUE;
  g_autofree char *type = g_strndup(line, space - line);
  g_autofree char *data = g_strcompress(space + 1);
  for (const HutchCleanupHandler *h = cleanup_handlers; h && h->type; h++)
    if (g_str_equal(h->type, type))
      return h->run(data, error);
  /* Nothing will ever know how: keeping it would retry it forever. */
  hutch_print_line(stderr, "hutch: cannot undo '%s' left by sandbox %s: unknown resource type",
                   type, sandbox);
  return TRUE;
}

/* Rewrite DIR's cleanup file as what is left: LINES[0..N-1] not tried yet,
 * then KEPT (collected newest first). A failure to write only means that a
 * later command undoes some entry again, which handlers tolerate. */
static void
write_left(const char *dir, char **lines, int n, GPtrArray *kept)
{
  g_autoptr(GString) text = g_string_new(NULL);
  for (int i = 0; i < n; i++)
    g_string_append_printf(text, "%s\n", lines[i]);
  for (guint i = kept->len; i > 0; i--)
    g_string_append_printf(text, "%s\n", (char *)kept->pdata[i - 1]);
  g_autofree char *path = g_build_filename(dir, "cleanup", NULL);
  if (!hutch_file_replace(path, text->str, text->len, 0600, NULL))
    g_debug("cannot rewrite %s", path);
}

/* Undo DIR's entries newest first, as the plan releases its resources;
 * remove DIR when all are undone, else mark it for a later retry. */
static void
undo_all(const char *dir, const char *sandbox)
{
  g_auto(GStrv) lines = read_entries(dir);
  g_autoptr(GPtrArray) kept = g_ptr_array_new();
  for (int i = (int)g_strv_length(lines) - 1; i >= 0; i--) {
    g_autoptr(GError) error = NULL;
    if (!undo_entry(sandbox, lines[i], &error)) {
      hutch_print_line(stderr,
                       "hutch: cannot undo '%s' left by sandbox %s: %s; will retry at a later "
                       "hutch command",
                       lines[i], sandbox, error ? error->message : "failed");
      g_ptr_array_add(kept, lines[i]);
    }
    write_left(dir, lines, i, kept);
  }
  if (!kept->len) {
    hutch_rm_rf(dir);
    return;
  }
  g_autofree char *mark = g_build_filename(dir, FAILED_MARK, NULL);
  if (!g_file_set_contents(mark, "", 0, NULL))
    g_debug("cannot write %s", mark);
}

static void
close_fds_from(int first)
{
  if (syscall(SYS_close_range, first, ~0U, 0) == 0)
    return;
  for (int fd = first; fd < 1024; fd++)
    close(fd);
}

/* The background process: detached from the command (its own session, no
 * stdin or stdout, which a caller's `$(hutch ls)` would otherwise wait
 * for), reporting on REPORT_FD as its stderr. It claims DIR under its own
 * tag first, so that it is DIR's owner once the command exits. */
static G_GNUC_NORETURN void
undo_in_child(int report_fd, const char *dir, const char *sandbox)
{
  pid_t worker = fork();
  if (worker != 0)
    _exit(worker < 0 ? 1 : 0); /* no worker: DIR stays for the next command */
  setsid();
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  signal(SIGPIPE, SIG_IGN);
  int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd >= 0) {
    dup2(null_fd, 0);
    dup2(null_fd, 1);
  }
  dup2(report_fd, 2);
  close_fds_from(3);
  alarm(UNDO_LIMIT_S);
  g_autofree char *root = g_path_get_dirname(dir);
  g_autofree char *entry = g_path_get_basename(dir);
  g_autofree char *mine = hutch_stale_claim(root, entry, sandbox);
  if (mine)
    undo_all(mine, sandbox);
  _exit(0);
}

/* Copy what the background process reports to stderr until it exits (TRUE)
 * or MS pass (FALSE). */
static gboolean
relay_reports(int fd, int ms)
{
  gint64 deadline = g_get_monotonic_time() + (gint64)ms * 1000;
  for (;;) {
    gint64 left = (deadline - g_get_monotonic_time()) / 1000;
    if (left <= 0)
      return FALSE;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int n = poll(&p, 1, (int)left);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return FALSE;
    char buf[1024];
    gssize got = read(fd, buf, sizeof(buf));
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      return TRUE;
    fwrite(buf, 1, (size_t)got, stderr);
  }
}

static char *
entry_types(char **lines)
{
  g_autoptr(GString) types = g_string_new(NULL);
  for (char **l = lines; *l; l++) {
    g_autofree char *type = g_strndup(*l, strcspn(*l, " "));
    if (!strstr(types->str, type))
      g_string_append_printf(types, "%s%s", types->len ? ", " : "", type);
  }
  return g_string_free(g_steal_pointer(&types), FALSE);
}

void
hutch_stale_undo(const char *dir, const char *sandbox)
{
  g_auto(GStrv) lines = read_entries(dir);
  if (!lines[0]) {
    hutch_rm_rf(dir);
    return;
  }
  int fds[2] = {-1, -1};
  pid_t pid = -1;
  fflush(NULL);
  if (pipe2(fds, O_CLOEXEC) == 0 && (pid = fork()) == 0)
    undo_in_child(fds[1], dir, sandbox);
  if (pid < 0) { /* no background process to be had: do it now */
    if (fds[0] >= 0) {
      close(fds[0]);
      close(fds[1]);
    }
    undo_all(dir, sandbox);
    return;
  }
  close(fds[1]);
  while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
    ;
  gboolean done = relay_reports(fds[0], UNDO_WAIT_MS);
  close(fds[0]);
  if (!done) {
    g_autofree char *types = entry_types(lines);
    hutch_print_line(stderr,
                     "hutch: undoing what sandbox %s left (%s) takes long, a server may not "
                     "answer; it goes on in the background",
                     sandbox, types);
  }
}

gboolean
hutch_stale_retry_later(const char *dir)
{
  g_autofree char *mark = g_build_filename(dir, FAILED_MARK, NULL);
  struct stat st;
  if (stat(mark, &st) < 0)
    return FALSE;
  gint64 age_us =
      g_get_real_time() - ((gint64)st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000);
  return age_us >= 0 && age_us < (gint64)RETRY_S * G_USEC_PER_SEC;
}
