/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What /proc says about processes: start times (to tell a live process
 * from a reused pid), CPU and memory use, namespace ids. Everything reads
 * raw files; nothing here needs privileges beyond owning the processes. */
#pragma once
#include <glib.h>
#include <sys/types.h>

typedef struct {
  pid_t pid;
  pid_t ppid;
  char state;        /* R, S, D, T, Z, ... */
  guint64 cpu_ticks; /* utime + stime + cutime + cstime */
  guint64 starttime; /* clock ticks after boot */
  guint64 rss_pages;
  guint64 pidns; /* inode of /proc/PID/ns/pid; 0 when unreadable */
} HutchProc;

/* Parse /proc/PID/stat; FALSE when the process is gone. */
gboolean hutch_proc_read(pid_t pid, HutchProc *out);
/* Its start time in clock ticks after boot, 0 when it is gone. */
guint64 hutch_proc_start_time(pid_t pid);
/* TRUE when PID is alive and is the process that started at START (the
 * same pid reused by another process does not count). */
gboolean hutch_proc_alive(pid_t pid, guint64 start);
/* TRUE when that process is being killed: SIGKILL is pending or it is
 * exiting, so it is gone in a moment (kill(2) returns before that). */
gboolean hutch_proc_dying(pid_t pid, guint64 start);
/* The pid that holds the flock(2) on FD's file, from /proc/locks; 0 when
 * none is listed or the holder is not visible from here. */
pid_t hutch_flock_holder(int fd);
/* Every process in /proc, one read of stat and one readlink of ns/pid each. */
GArray *hutch_proc_scan(void);
/* Inode number of /proc/PID/ns/NS ("user", "mnt", ...), 0 when unreadable. */
guint64 hutch_proc_ns_id(pid_t pid, const char *ns);
/* The first child of PID (from /proc/PID/task/PID/children, else a scan), 0 if none. */
pid_t hutch_proc_first_child(pid_t pid);
/* Seconds since boot, for turning start times into ages. */
double hutch_proc_uptime(void);
long hutch_clock_ticks(void);
