/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Run a host command as root of a throwaway user namespace whose ids are
 * the caller's subordinate ranges, laid out as in a sandbox (0 -> first
 * subordinate id, the caller's own id -> itself): files it creates get the
 * owners they have on a real system, and files of those owners can be
 * changed and removed. hutch create and destroy use it. */
#pragma once
#include <glib.h>
#include <sys/types.h>
#include "idmap.h"

/* The id map for such a namespace; FALSE with a message saying what to add
 * to /etc/subuid and /etc/subgid when the caller has no ranges. WHAT says
 * what needs them, for that message. */
gboolean hutch_userns_idmap(HutchIdMap *map, const char *what, GError **error);

/* Start ARGV (absolute path first) with ENVP in a new user, mount and pid
 * namespace, as its root; its stdout and stderr go to OUT_FD (-1: ours).
 * *PID is the namespace's init, with ARGV as its child: killing it ends
 * everything ARGV started, and so does hutch's death (the init then kills
 * and reaps them all). Its exit status is ARGV's (128+N for signal N).
 * KEEP_FD (-1: none) stays open in that init alone, until the last process
 * of the namespace is gone: a lock on it is free only when nothing the
 * command started can still write. */
gboolean hutch_userns_spawn(const HutchIdMap *map, char **argv, char **envp, int out_fd,
                            int keep_fd, pid_t *pid, GError **error);
/* Spawn and wait; FALSE with the exit status in the message. */
gboolean hutch_userns_run(const HutchIdMap *map, char **argv, GError **error);
/* rm -rf PATH inside such a namespace. */
gboolean hutch_userns_remove(const HutchIdMap *map, const char *path, GError **error);
