/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "procinfo.h"
#include <ctype.h>
#include <signal.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

long
hutch_clock_ticks(void)
{
  static long ticks;
  if (!ticks)
    ticks = sysconf(_SC_CLK_TCK) > 0 ? sysconf(_SC_CLK_TCK) : 100;
  return ticks;
}

static gssize
read_small_at(int dirfd, const char *path, char *buf, gsize size)
{
  int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  gssize n;
  do
    n = read(fd, buf, size - 1);
  while (n < 0 && errno == EINTR);
  close(fd);
  if (n < 0)
    return -1;
  buf[n] = '\0';
  return n;
}

/* The command name in stat may hold spaces and parentheses: fields start
 * after the LAST ')'. */
static gboolean
parse_stat(const char *text, HutchProc *out)
{
  const char *p = strrchr(text, ')');
  if (!p)
    return FALSE;
  char state;
  int ppid;
  unsigned long long utime, stime, rss, starttime;
  long long cutime, cstime;
  int n = sscanf(p + 1,
                 " %c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %lld %lld %*d %*d %*d "
                 "%*d %llu %*u %llu",
                 &state, &ppid, &utime, &stime, &cutime, &cstime, &starttime, &rss);
  if (n != 8)
    return FALSE;
  out->state = state;
  out->ppid = ppid;
  out->cpu_ticks = utime + stime + (guint64)MAX(cutime, 0) + (guint64)MAX(cstime, 0);
  out->starttime = starttime;
  out->rss_pages = rss;
  return TRUE;
}

static gboolean
read_at(int procfd, pid_t pid, HutchProc *out)
{
  char path[64], buf[1024];
  snprintf(path, sizeof(path), "%d/stat", (int)pid);
  if (read_small_at(procfd, path, buf, sizeof(buf)) <= 0)
    return FALSE;
  memset(out, 0, sizeof(*out));
  out->pid = pid;
  return parse_stat(buf, out);
}

static guint64
ns_id_at(int procfd, pid_t pid, const char *ns)
{
  char path[64], link[64];
  snprintf(path, sizeof(path), "%d/ns/%s", (int)pid, ns);
  ssize_t n = readlinkat(procfd, path, link, sizeof(link) - 1);
  if (n <= 0)
    return 0;
  link[n] = '\0';
  const char *open_bracket = strchr(link, '[');
  return open_bracket ? g_ascii_strtoull(open_bracket + 1, NULL, 10) : 0;
}

/* One fd on /proc for the whole run: lookups relative to it skip the
 * "/proc" path walk on every call. A forked child opens its own: it may
 * have closed what it inherited (state/undo.c's background process). */
static int
proc_fd(void)
{
  static int fd = -1;
  static pid_t owner;
  if (fd < 0 || owner != getpid()) {
    fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
    owner = getpid();
  }
  return fd;
}

gboolean
hutch_proc_read(pid_t pid, HutchProc *out)
{
  return pid > 0 && read_at(proc_fd(), pid, out);
}

guint64
hutch_proc_ns_id(pid_t pid, const char *ns)
{
  return ns_id_at(proc_fd(), pid, ns);
}

guint64
hutch_proc_start_time(pid_t pid)
{
  HutchProc p;
  return hutch_proc_read(pid, &p) ? p.starttime : 0;
}

gboolean
hutch_proc_alive(pid_t pid, guint64 start)
{
  HutchProc p;
  return pid > 0 && start && hutch_proc_read(pid, &p) && p.starttime == start && p.state != 'Z' &&
         p.state != 'X';
}

/* A "SigPnd:" or "ShdPnd:" mask of /proc/PID/status holds SIGKILL. */
static gboolean
kill_pending(const char *status)
{
  for (const char *key = "SigPnd:"; key; key = g_str_equal(key, "SigPnd:") ? "ShdPnd:" : NULL) {
    const char *p = strstr(status, key);
    if (p && (g_ascii_strtoull(p + strlen(key), NULL, 16) & (1ull << (SIGKILL - 1))))
      return TRUE;
  }
  return FALSE;
}

/* PF_EXITING in the flags of /proc/PID/stat: do_exit has begun. */
static gboolean
exiting(pid_t pid)
{
  char path[64], buf[1024];
  snprintf(path, sizeof(path), "%d/stat", (int)pid);
  if (read_small_at(proc_fd(), path, buf, sizeof(buf)) <= 0)
    return TRUE;
  const char *p = strrchr(buf, ')');
  unsigned flags = 0;
  return !p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %u", &flags) != 1 || (flags & 0x4);
}

gboolean
hutch_proc_dying(pid_t pid, guint64 start)
{
  char path[64], buf[4096];
  snprintf(path, sizeof(path), "%d/status", (int)pid);
  if (!hutch_proc_alive(pid, start) || read_small_at(proc_fd(), path, buf, sizeof(buf)) <= 0)
    return FALSE;
  /* A pending SIGKILL shows from kill(2) on, until the process takes it
   * and starts exiting. */
  return kill_pending(buf) || exiting(pid);
}

pid_t
hutch_flock_holder(int fd)
{
  struct stat st;
  g_autofree char *text = NULL;
  if (fstat(fd, &st) < 0 || !g_file_get_contents("/proc/locks", &text, NULL, NULL))
    return 0;
  g_autofree char *file = g_strdup_printf("%02x:%02x:%llu", major(st.st_dev), minor(st.st_dev),
                                          (unsigned long long)st.st_ino);
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (char **l = lines; *l; l++) {
    /* "1: FLOCK  ADVISORY  WRITE PID MAJ:MIN:INODE 0 EOF"; waiters have "->". */
    g_auto(GStrv) f = g_strsplit_set(*l, " ", -1);
    GPtrArray *words = g_ptr_array_new();
    for (char **w = f; *w; w++)
      if (**w)
        g_ptr_array_add(words, *w);
    gboolean match = words->len >= 6 && g_str_equal(words->pdata[1], "FLOCK") &&
                     g_str_equal(words->pdata[5], file);
    pid_t pid = match ? (pid_t)g_ascii_strtoll(words->pdata[4], NULL, 10) : 0;
    g_ptr_array_unref(words);
    if (pid > 0)
      return pid;
  }
  return 0;
}

GArray *
hutch_proc_scan(void)
{
  GArray *procs = g_array_sized_new(FALSE, FALSE, sizeof(HutchProc), 512);
  DIR *dir = opendir("/proc");
  if (!dir)
    return procs;
  int procfd = dirfd(dir);
  struct dirent *de;
  while ((de = readdir(dir))) {
    if (!isdigit((unsigned char)de->d_name[0]))
      continue;
    HutchProc p;
    pid_t pid = (pid_t)strtol(de->d_name, NULL, 10);
    if (!read_at(procfd, pid, &p))
      continue;
    p.pidns = ns_id_at(procfd, pid, "pid");
    g_array_append_val(procs, p);
  }
  closedir(dir);
  return procs;
}

static pid_t
first_child_by_scan(pid_t parent)
{
  g_autoptr(GArray) procs = hutch_proc_scan();
  pid_t best = 0;
  for (guint i = 0; i < procs->len; i++) {
    const HutchProc *p = &g_array_index(procs, HutchProc, i);
    if (p->ppid == parent && (!best || p->pid < best))
      best = p->pid;
  }
  return best;
}

pid_t
hutch_proc_first_child(pid_t pid)
{
  char path[64], buf[256];
  snprintf(path, sizeof(path), "%d/task/%d/children", (int)pid, (int)pid);
  gssize n = read_small_at(proc_fd(), path, buf, sizeof(buf));
  if (n < 0)
    return first_child_by_scan(pid); /* kernel without CONFIG_PROC_CHILDREN */
  return (pid_t)strtol(buf, NULL, 10);
}

double
hutch_proc_uptime(void)
{
  char buf[128];
  if (read_small_at(AT_FDCWD, "/proc/uptime", buf, sizeof(buf)) <= 0)
    return 0;
  return g_ascii_strtod(buf, NULL);
}
