/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The mapped clone: a child in a new user namespace (and whatever others
 * FLAGS name) that waits until its parent has written its id maps. The one
 * copy of the sequence hutch's launch and its throwaway user namespaces
 * (userns.c) share:
 *
 *   parent                                   child
 *   pipes: go (to the child), errors (back)
 *   clone(FLAGS) ------------------------->  FN(DATA, go_fd, err_fd):
 *   [move into the cgroup, on old kernels]     hutch_mapped_child_wait(go_fd)
 *   hutch_mapped_child_map: write the maps,    ... its own setup; on failure
 *     then the first go byte ------------->    write an error to err_fd, _exit
 *   [more go bytes, see launch.c]              exec (err_fd closes on exec)
 *   hutch_mapped_child_result: EOF on the
 *     error pipe means the child exec'd;
 *     else hutch_mapped_child_reap.
 *
 * The child must not outlive its parent: FN sets PR_SET_PDEATHSIG first,
 * and a parent that dies before the go byte leaves it reading EOF. */
#pragma once
#include <glib.h>
#include <sys/types.h>
#include "idmap.h"

typedef struct {
  pid_t pid;
  int go_fd;     /* parent's write end; -1 once closed */
  int err_fd;    /* parent's read end; -1 once closed */
  gboolean lost; /* a go byte could not be written: the child is gone */
} HutchMappedChild;

#define HUTCH_MAPPED_CHILD_INIT                                                                    \
  {                                                                                                \
    .pid = -1, .go_fd = -1, .err_fd = -1                                                           \
  }

/* Runs in the child; never returns. */
typedef void (*HutchMappedChildFn)(void *data, int go_fd, int err_fd);

/* Clone the child. With CGROUP_FD >= 0 it starts inside that cgroup
 * (clone3 CLONE_INTO_CGROUP); *IN_CGROUP is FALSE when the kernel cannot,
 * and the caller moves it before the go. Returns 0, or the errno of the
 * pipe or clone that failed (nothing is left then). */
int hutch_mapped_clone(int flags, int cgroup_fd, HutchMappedChildFn fn, void *data,
                       HutchMappedChild *child, gboolean *in_cgroup);
/* Write the child's id maps, then send the first go byte (a child that
 * died meanwhile is not an error here: the result says so). */
gboolean hutch_mapped_child_map(HutchMappedChild *child, const HutchIdMap *map, GError **error);
/* Send one more go byte (the child reads as many as its FN expects). */
gboolean hutch_mapped_child_go(HutchMappedChild *child, char byte);
/* Close the go pipe (a child waiting for more reads EOF and exits), then
 * read the child's report into BUF: 0 bytes means it exec'd. Returns the
 * byte count, or -1 (also when the child died before a go byte). */
gssize hutch_mapped_child_result(HutchMappedChild *child, void *buf, gsize size);
/* SIGKILL and reap the child, and close what is open. */
void hutch_mapped_child_reap(HutchMappedChild *child);

/* Child side: wait for a go byte; FALSE when the parent closed the pipe
 * (it failed, or died) instead. */
gboolean hutch_mapped_child_wait(int go_fd);
