/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "idholder.h"
#include "util.h"
#include "atomic-file.h"
#include "caps.h"
#include "error.h"
#include "mapped-clone.h"
#include "paths.h"
#include "procinfo.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/nsfs.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define RECORD_NAME ".idholder" /* a dot: no sandbox can be named so */
#define LOCK_NAME ".idholder.lock"
#define HOLDER_COMM "hutch-idholder"

static HutchIdHolder joined_holder;
static gboolean joined;

const HutchIdHolder *
hutch_idholder_joined(void)
{
  return joined ? &joined_holder : NULL;
}

static gint
by_inside(gconstpointer a, gconstpointer b)
{
  const HutchIdRange *ra = a, *rb = b;
  return ra->inside < rb->inside ? -1 : ra->inside > rb->inside;
}

/* RANGES as uid_map text, in one order whatever order they came in. */
static char *
ranges_text(GArray *ranges)
{
  g_array_sort(ranges, by_inside);
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < ranges->len; i++) {
    HutchIdRange r = g_array_index(ranges, HutchIdRange, i);
    g_string_append_printf(s, "%u %u %u\n", r.inside, r.outside, r.count);
  }
  return g_string_free(s, FALSE);
}

/* The holder's map for a sandbox map: every outside range to itself. */
static GArray *
identity_ranges(GArray *layout)
{
  GArray *out = g_array_new(FALSE, FALSE, sizeof(HutchIdRange));
  for (guint i = 0; i < layout->len; i++) {
    HutchIdRange r = g_array_index(layout, HutchIdRange, i);
    HutchIdRange id = {r.outside, r.outside, r.count};
    g_array_append_val(out, id);
  }
  return out;
}

static char *
wanted_text(GArray *layout)
{
  g_autoptr(GArray) ranges = identity_ranges(layout);
  return ranges_text(ranges);
}

/* /proc/PID/FILE (a uid_map or gid_map) in ranges_text's form; NULL when
 * unreadable. */
static char *
proc_map_text(pid_t pid, const char *file)
{
  g_autofree char *path = g_strdup_printf("/proc/%d/%s", (int)pid, file);
  g_autofree char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, NULL))
    return NULL;
  g_autoptr(GArray) ranges = g_array_new(FALSE, FALSE, sizeof(HutchIdRange));
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (char **l = lines; *l; l++) {
    HutchIdRange r;
    if (sscanf(*l, "%u %u %u", &r.inside, &r.outside, &r.count) == 3)
      g_array_append_val(ranges, r);
  }
  return ranges_text(ranges);
}

static char *
proc_text(pid_t pid, const char *file)
{
  g_autofree char *path = g_strdup_printf("/proc/%d/%s", (int)pid, file);
  char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, NULL))
    return NULL;
  return g_strchomp(text);
}

static void
close_fd(int *fd)
{
  if (*fd >= 0)
    close(*fd);
}
#define auto_fd __attribute__((cleanup(close_fd))) int

static gboolean
same_file(int fd, const char *path)
{
  struct stat a, b;
  return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

typedef enum {
  HOLDER_NONE,  /* no such process, or not one to trust: make a new one */
  HOLDER_STALE, /* our holder, but its maps are no longer /etc/subuid's */
  HOLDER_GOOD,
} HolderVerdict;

/* What /proc/PID says against everything a holder must be; *NS_FD gets
 * its user namespace when GOOD. */
static HolderVerdict
inspect(pid_t pid, guint64 start, const HutchIdMap *map, int *ns_fd, char **why)
{
  struct stat st;
  g_autofree char *dir = g_strdup_printf("/proc/%d", (int)pid);
  if (stat(dir, &st) < 0 || st.st_uid != getuid()) {
    *why = g_strdup_printf("pid %d is not yours", (int)pid);
    return HOLDER_NONE;
  }
  HutchProc proc;
  if (!hutch_proc_read(pid, &proc) || proc.state == 'Z') {
    *why = g_strdup_printf("pid %d is gone", (int)pid);
    return HOLDER_NONE;
  }
  if (proc.starttime != start) {
    *why = g_strdup_printf("pid %d is another process now", (int)pid);
    return HOLDER_NONE;
  }
  g_autofree char *comm = proc_text(pid, "comm");
  if (g_strcmp0(comm, HOLDER_COMM) != 0) {
    *why = g_strdup_printf("pid %d is not %s", (int)pid, HOLDER_COMM);
    return HOLDER_NONE;
  }
  g_autofree char *ns_path = g_strdup_printf("%s/ns/user", dir);
  auto_fd nfd = open(ns_path, O_RDONLY | O_CLOEXEC);
  uid_t owner = (uid_t)-1;
  if (nfd < 0 || ioctl(nfd, NS_GET_OWNER_UID, &owner) < 0 || owner != getuid()) {
    *why = g_strdup_printf("the user namespace of pid %d is not owned by you", (int)pid);
    return HOLDER_NONE;
  }
  auto_fd parent = ioctl(nfd, NS_GET_PARENT);
  if (parent < 0 || !same_file(parent, "/proc/self/ns/user")) {
    *why = g_strdup_printf("the user namespace of pid %d is not a child of yours", (int)pid);
    return HOLDER_NONE;
  }
  g_autofree char *want_uid = wanted_text(map->uid_ranges);
  g_autofree char *want_gid = wanted_text(map->gid_ranges);
  g_autofree char *uid_map = proc_map_text(pid, "uid_map");
  g_autofree char *gid_map = proc_map_text(pid, "gid_map");
  g_autofree char *setgroups = proc_text(pid, "setgroups");
  if (g_strcmp0(uid_map, want_uid) || g_strcmp0(gid_map, want_gid) ||
      g_strcmp0(setgroups, "allow")) {
    *why = g_strdup_printf("the maps of pid %d are not those of /etc/subuid and /etc/subgid now",
                           (int)pid);
    return HOLDER_STALE;
  }
  *ns_fd = nfd;
  nfd = -1;
  return HOLDER_GOOD;
}

/* Check the process PID started at START; *NS_FD gets its user namespace
 * when GOOD, *PIDFD its pidfd when GOOD or STALE. All of /proc/PID is read
 * by pid number; the pidfd, open from before the first read and still
 * alive after the last, proves the number meant the same process
 * throughout. */
static HolderVerdict
verify(pid_t pid, guint64 start, const HutchIdMap *map, int *ns_fd, int *pidfd, char **why)
{
  *ns_fd = *pidfd = -1;
  int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
  if (pfd < 0) {
    *why = g_strdup_printf("pid %d is gone", (int)pid);
    return HOLDER_NONE;
  }
  HolderVerdict verdict = inspect(pid, start, map, ns_fd, why);
  if (verdict != HOLDER_NONE && syscall(SYS_pidfd_send_signal, pfd, 0, NULL, 0) < 0) {
    g_free(*why);
    *why = g_strdup_printf("pid %d is gone", (int)pid);
    verdict = HOLDER_NONE;
    if (*ns_fd >= 0)
      close(*ns_fd);
    *ns_fd = -1;
  }
  if (verdict == HOLDER_NONE)
    close(pfd);
  else
    *pidfd = pfd;
  return verdict;
}

static char *
record_path(const char *root)
{
  return g_build_filename(root, RECORD_NAME, NULL);
}

static gboolean
read_record(const char *root, HutchIdHolder *holder)
{
  g_autofree char *path = record_path(root);
  g_autofree char *text = NULL;
  int pid;
  guint64 start;
  if (!g_file_get_contents(path, &text, NULL, NULL) ||
      sscanf(text, "%d %" G_GUINT64_FORMAT, &pid, &start) != 2 || pid <= 0)
    return FALSE;
  holder->pid = pid;
  holder->start = start;
  return TRUE;
}

/* The recorded holder and its verdict; *WHY when it is not GOOD. */
static HolderVerdict
lookup(const char *root, const HutchIdMap *map, HutchIdHolder *holder, int *ns_fd, int *pidfd,
       char **why)
{
  *ns_fd = *pidfd = -1;
  if (!read_record(root, holder)) {
    *why = g_strdup("none is running");
    return HOLDER_NONE;
  }
  return verify(holder->pid, holder->start, map, ns_fd, pidfd, why);
}

/* HUTCH_IDMAP=newuidmap: the per-launch helpers, as before the holder. */
static gboolean
turned_off(char **why)
{
  const char *force = g_getenv("HUTCH_IDMAP");
  if (!force || !g_str_equal(force, "newuidmap"))
    return FALSE;
  *why = g_strdup("HUTCH_IDMAP=newuidmap is set");
  return TRUE;
}

gboolean
hutch_idholder_find(const HutchIdMap *map, HutchIdHolder *holder, char **why)
{
  if (turned_off(why))
    return FALSE;
  if (map->method != HUTCH_IDMAP_SUBORDINATE) {
    *why = g_strdup(map->why);
    return FALSE;
  }
  g_autoptr(GError) error = NULL;
  const char *root = hutch_runtime_root(&error);
  if (!root) {
    *why = g_strdup(error->message);
    return FALSE;
  }
  int ns_fd, pidfd;
  HolderVerdict v = lookup(root, map, holder, &ns_fd, &pidfd, why);
  if (ns_fd >= 0)
    close(ns_fd);
  if (pidfd >= 0)
    close(pidfd);
  return v == HOLDER_GOOD;
}

typedef struct {
  const char *path;
  const char *root;
} HolderArgs;

/* The holder's side, once its maps are written: leave hutch's session and
 * terminal (a ^C for the launch is not for it), keep no fd, exec. */
static void
holder_child(void *data, int go_fd, int err_fd)
{
  const HolderArgs *a = data;
  if (!hutch_mapped_child_wait(go_fd))
    _exit(127);
  setsid();
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0 || chdir("/") < 0)
    goto fail;
  syscall(SYS_close_range, 3, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */);
  char *argv[] = {(char *)HOLDER_COMM, (char *)a->root, NULL};
  char *envp[] = {NULL};
  execve(a->path, argv, envp);
fail:;
  int err = errno;
  ssize_t n G_GNUC_UNUSED = write(err_fd, &err, sizeof(err));
  _exit(127);
}

/* Start a holder for MAP through newuidmap/newgidmap and record it. It is
 * left unreaped: it outlives this hutch, and is then init's child. */
static gboolean
make_holder(const char *root, const HutchIdMap *map, char **why)
{
  HolderArgs args = {hutch_helper_path(HOLDER_COMM), root};
  if (access(args.path, X_OK) < 0) {
    *why = g_strdup_printf("%s: %s", args.path, g_strerror(errno));
    return FALSE;
  }
  HutchMappedChild child = HUTCH_MAPPED_CHILD_INIT;
  int err = hutch_mapped_clone(CLONE_NEWUSER, -1, holder_child, &args, &child, NULL);
  if (err) {
    *why = g_strdup_printf("cannot create its user namespace: %s", g_strerror(err));
    return FALSE;
  }
  HutchIdMap ident = {
      .method = HUTCH_IDMAP_SUBORDINATE,
      .uid_ranges = identity_ranges(map->uid_ranges),
      .gid_ranges = identity_ranges(map->gid_ranges),
      .newuidmap = map->newuidmap,
      .newgidmap = map->newgidmap,
  };
  g_autoptr(GError) error = NULL;
  gboolean ok = hutch_mapped_child_map(&child, &ident, &error);
  g_array_unref(ident.uid_ranges);
  g_array_unref(ident.gid_ranges);
  int child_errno = 0;
  gssize n = ok ? hutch_mapped_child_result(&child, &child_errno, sizeof(child_errno)) : -1;
  if (!ok || n != 0) {
    hutch_mapped_child_reap(&child);
    *why = error   ? g_strdup(error->message)
           : n > 0 ? g_strdup_printf("cannot run %s: %s", args.path, g_strerror(child_errno))
                   : g_strdup("it died while it was set up");
    return FALSE;
  }
  g_autofree char *record = g_strdup_printf("%d %" G_GUINT64_FORMAT "\n", (int)child.pid,
                                            hutch_proc_start_time(child.pid));
  g_autofree char *path = record_path(root);
  if (!hutch_file_replace(path, record, strlen(record), 0600, &error)) {
    hutch_mapped_child_reap(&child);
    *why = g_strdup(error->message);
    return FALSE;
  }
  return TRUE;
}

/* Find the holder, else make it, under a lock so that launches side by
 * side make one between them. *NS_FD gets its user namespace. */
static gboolean
find_or_make(const char *root, const HutchIdMap *map, const char *no_make, HutchIdHolder *holder,
             int *ns_fd, char **why)
{
  int pidfd;
  g_autofree char *first_why = NULL;
  if (lookup(root, map, holder, ns_fd, &pidfd, &first_why) == HOLDER_GOOD) {
    close(pidfd);
    return TRUE;
  }
  if (pidfd >= 0)
    close(pidfd);
  if (no_make) {
    *why = g_strdup_printf("%s, and %s", first_why, no_make);
    return FALSE;
  }
  g_autofree char *lock_path = g_build_filename(root, LOCK_NAME, NULL);
  int lock = open(lock_path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (lock < 0 || flock(lock, LOCK_EX) < 0) {
    *why = g_strdup_printf("cannot lock %s: %s", lock_path, g_strerror(errno));
    if (lock >= 0)
      close(lock);
    return FALSE;
  }
  g_autofree char *again_why = NULL;
  HolderVerdict v = lookup(root, map, holder, ns_fd, &pidfd, &again_why);
  if (v == HOLDER_STALE) /* ours, out of date: end it (the pidfd makes sure it is that one) */
    syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
  if (pidfd >= 0)
    close(pidfd);
  gboolean ok = v == HOLDER_GOOD;
  if (!ok && make_holder(root, map, why)) {
    g_autofree char *made_why = NULL;
    ok = lookup(root, map, holder, ns_fd, &pidfd, &made_why) == HOLDER_GOOD;
    if (pidfd >= 0)
      close(pidfd);
    if (!ok)
      *why = g_strdup_printf("the holder just made does not check out: %s", made_why);
  }
  close(lock);
  return ok;
}

gboolean
hutch_idholder_join(HutchIdHolder *holder, const char *no_make, char **why)
{
  if (turned_off(why))
    return FALSE;
  g_auto(HutchIdMap) map;
  hutch_idmap_plan(&map, getuid(), getgid(), hutch_user_name(getuid()));
  if (map.method != HUTCH_IDMAP_SUBORDINATE) {
    *why = g_strdup(map.why);
    return FALSE;
  }
  g_autoptr(GError) error = NULL;
  const char *root = hutch_runtime_root(&error);
  if (!root) {
    *why = g_strdup(error->message);
    return FALSE;
  }
  int ns_fd = -1;
  if (!find_or_make(root, &map, no_make, holder, &ns_fd, why))
    return FALSE;
  int err = setns(ns_fd, CLONE_NEWUSER) < 0 ? errno : 0;
  close(ns_fd);
  if (err) {
    *why = g_strdup_printf("cannot join the id holder (pid %d): %s", (int)holder->pid,
                           g_strerror(err));
    return FALSE;
  }
  /* Joining gave every capability in the holder's namespace; keep the two
   * that writing a sandbox's maps needs, and none effective: planning must
   * see files with the user's own permissions. */
  const guint64 setid = (1ULL << CAP_SETUID) | (1ULL << CAP_SETGID);
  err = hutch_caps_set(setid, 0);
  if (err)
    g_error("cannot drop the capabilities of the id holder's namespace: %s", g_strerror(err));
  joined_holder = *holder;
  joined = TRUE;
  return TRUE;
}
