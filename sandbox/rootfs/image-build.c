/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "image-build.h"
#include "error.h"
#include "image.h"
#include "userns.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct HutchImageBuild {
  char *name;
  char *partial; /* images/NAME.partial */
  char *rootfs;  /* images/NAME.partial/rootfs */
  char *final;   /* images/NAME */
  int lock_fd;   /* flock on NAME.partial while we own it */
  HutchIdMap map;
  gboolean committed;
  int interrupted;
  gboolean status_line; /* a progress line is on the terminal, not ended */
};

static gboolean
lock_dir(const char *dir, int *fd_out)
{
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;
  if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
    close(fd);
    return FALSE;
  }
  *fd_out = fd;
  return TRUE;
}

/* NAME.partial exists: another create runs (locked), or one crashed. */
static gboolean
claim_partial(HutchImageBuild *b, GError **error)
{
  if (mkdir(b->partial, 0700) < 0) {
    if (errno != EEXIST) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot create %s: %s", b->partial,
                  g_strerror(errno));
      return FALSE;
    }
    int fd;
    if (!lock_dir(b->partial, &fd)) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "another 'hutch create %s' is running (%s)",
                  b->name, b->partial);
      return FALSE;
    }
    g_printerr("hutch create: removing %s, left by an interrupted create\n", b->partial);
    gboolean removed = hutch_userns_remove(&b->map, b->partial, error);
    close(fd);
    if (!removed)
      return FALSE;
    if (mkdir(b->partial, 0700) < 0) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot create %s: %s", b->partial,
                  g_strerror(errno));
      return FALSE;
    }
  }
  if (!lock_dir(b->partial, &b->lock_fd)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot lock %s: %s", b->partial,
                g_strerror(errno));
    return FALSE;
  }
  if (mkdir(b->rootfs, 0755) < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot create %s: %s", b->rootfs,
                g_strerror(errno));
    return FALSE;
  }
  return TRUE;
}

HutchImageBuild *
hutch_image_build_begin(const char *name, GError **error)
{
  if (!hutch_image_name_check(name, error))
    return NULL;
  g_autoptr(HutchImageBuild) b = g_new0(HutchImageBuild, 1);
  b->lock_fd = -1;
  b->name = g_strdup(name);
  b->final = hutch_image_dir(name);
  b->partial = g_strconcat(b->final, ".partial", NULL);
  b->rootfs = g_build_filename(b->partial, "rootfs", NULL);
  if (!hutch_userns_idmap(&b->map, "hutch create", error))
    return NULL;
  g_autofree char *images = hutch_images_dir();
  if (g_mkdir_with_parents(images, 0700) < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot create %s: %s", images,
                g_strerror(errno));
    return NULL;
  }
  if (g_file_test(b->final, G_FILE_TEST_EXISTS)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "image %s already exists ('hutch destroy %s' removes it)", name, name);
    return NULL;
  }
  if (!claim_partial(b, error))
    return NULL;
  return g_steal_pointer(&b);
}

const char *
hutch_image_build_rootfs(HutchImageBuild *b)
{
  return b->rootfs;
}

int
hutch_image_build_interrupted(HutchImageBuild *b)
{
  return b->interrupted;
}

static void
end_status_line(HutchImageBuild *b)
{
  if (b->status_line)
    fputs("\n", stderr);
  b->status_line = FALSE;
}

/* On a terminal, informational lines replace each other on one line;
 * warnings, errors and everything when not on a terminal scroll. */
static void
show_line(HutchImageBuild *b, const char *line)
{
  gboolean info = g_str_has_prefix(line, "I: ") || g_str_has_prefix(line, "tar: r: ");
  if (info && isatty(STDERR_FILENO)) {
    fprintf(stderr, "\r\033[K%s: %.100s", b->name, line);
    b->status_line = TRUE;
  } else {
    end_status_line(b);
    fprintf(stderr, "%s: %s\n", b->name, line);
  }
  fflush(stderr);
}

static void
show_output(HutchImageBuild *b, GString *pending, const char *buf, gssize n)
{
  g_string_append_len(pending, buf, n);
  char *nl;
  while ((nl = memchr(pending->str, '\n', pending->len))) {
    *nl = '\0';
    if (*pending->str)
      show_line(b, pending->str);
    g_string_erase(pending, 0, nl - pending->str + 1);
  }
}

static int
signal_fd(void)
{
  sigset_t set;
  sigemptyset(&set);
  int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGCHLD};
  for (gsize i = 0; i < G_N_ELEMENTS(sigs); i++)
    sigaddset(&set, sigs[i]);
  sigprocmask(SIG_BLOCK, &set, NULL);
  return signalfd(-1, &set, SFD_CLOEXEC);
}

/* Pump the builder's output until it exits; stop it on a signal. */
static int
supervise(HutchImageBuild *b, pid_t pid, int out, int sfd)
{
  g_autoptr(GString) pending = g_string_new(NULL);
  gboolean eof = FALSE, reaped = FALSE;
  int status = 0;
  while (!eof || !reaped) {
    struct pollfd fds[2] = {{.fd = eof ? -1 : out, .events = POLLIN},
                            {.fd = sfd, .events = POLLIN}};
    if (poll(fds, 2, -1) < 0 && errno != EINTR)
      break;
    if (fds[0].revents) {
      char buf[4096];
      ssize_t n = read(out, buf, sizeof(buf));
      if (n > 0)
        show_output(b, pending, buf, n);
      else if (n == 0 || errno != EINTR)
        eof = TRUE;
    }
    struct signalfd_siginfo si;
    if (fds[1].revents && read(sfd, &si, sizeof(si)) == sizeof(si) && si.ssi_signo != SIGCHLD) {
      b->interrupted = (int)si.ssi_signo;
      kill(pid, SIGKILL); /* pid 1 of its namespace: all it started dies too */
    }
    if (!reaped && waitpid(pid, &status, WNOHANG) == pid)
      reaped = TRUE;
  }
  if (pending->len)
    show_line(b, pending->str);
  end_status_line(b);
  return status;
}

static void
explain_failure(HutchImageBuild *b, const char *what, int status, GError **error)
{
  g_autofree char *log_path = g_build_filename(b->rootfs, "debootstrap/debootstrap.log", NULL);
  g_autofree char *log = NULL;
  if (g_file_get_contents(log_path, &log, NULL, NULL)) {
    g_auto(GStrv) lines = g_strsplit(log, "\n", -1);
    guint n = g_strv_length(lines);
    fprintf(stderr, "%s: the last lines of debootstrap.log:\n", b->name);
    for (guint i = n > 15 ? n - 15 : 0; i < n; i++)
      if (*lines[i])
        fprintf(stderr, "  %s\n", lines[i]);
  }
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "%s failed (%s %d)%s", what,
              WIFEXITED(status) ? "exit status" : "signal",
              WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
              log ? "; see its log above" : "");
}

gboolean
hutch_image_build_run(HutchImageBuild *b, char **argv, char **envp, GError **error)
{
  int sfd = signal_fd();
  int out[2];
  if (sfd < 0 || pipe2(out, O_CLOEXEC) < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot set up: %s", g_strerror(errno));
    if (sfd >= 0)
      close(sfd);
    return FALSE;
  }
  pid_t pid;
  /* The builder's init holds the partial tree's lock too: after a SIGKILL
   * of hutch its processes die a moment later, and nobody may remove the
   * tree while one still writes into it. */
  gboolean started = hutch_userns_spawn(&b->map, argv, envp, out[1], b->lock_fd, &pid, error);
  close(out[1]);
  int status = started ? supervise(b, pid, out[0], sfd) : 0;
  close(out[0]);
  close(sfd);
  if (!started)
    return FALSE;
  if (b->interrupted) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_FAILED, "interrupted by SIG%s",
                sigabbrev_np(b->interrupted));
    return FALSE;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return TRUE;
  g_autofree char *what = g_path_get_basename(argv[0]);
  explain_failure(b, what, status, error);
  return FALSE;
}

static gboolean
looks_like_rootfs(const char *rootfs)
{
  const char *dirs[] = {"usr", "bin", "etc", NULL};
  for (const char **d = dirs; *d; d++) {
    g_autofree char *p = g_build_filename(rootfs, *d, NULL);
    if (g_file_test(p, G_FILE_TEST_IS_DIR))
      return TRUE;
  }
  return FALSE;
}

gboolean
hutch_image_build_commit(HutchImageBuild *b, GKeyFile *info, GError **error)
{
  if (!looks_like_rootfs(b->rootfs)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "the result has no /usr, /bin or /etc at its top: not a root filesystem (a "
                "tarball must hold the tree itself, not a directory containing it)");
    return FALSE;
  }
  g_autofree char *info_path = g_build_filename(b->partial, "info", NULL);
  if (!g_key_file_save_to_file(info, info_path, error))
    return FALSE;
  if (rename(b->partial, b->final) < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot rename %s to %s: %s", b->partial,
                b->final, g_strerror(errno));
    return FALSE;
  }
  b->committed = TRUE;
  return TRUE;
}

void
hutch_image_build_free(HutchImageBuild *b)
{
  if (!b)
    return;
  if (!b->committed && b->lock_fd >= 0) {
    g_autoptr(GError) error = NULL;
    if (!hutch_userns_remove(&b->map, b->partial, &error))
      g_printerr("hutch create: %s\n", error->message);
  }
  if (b->lock_fd >= 0)
    close(b->lock_fd);
  hutch_idmap_clear(&b->map);
  g_free(b->name);
  g_free(b->partial);
  g_free(b->rootfs);
  g_free(b->final);
  g_free(b);
}
