/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The id holder: one small process per user (hutch-idholder) that keeps a
 * user namespace alive whose maps are the user's own ids and subordinate
 * ranges, each mapped to itself. newuidmap/newgidmap make those maps once,
 * when the holder is made; every launch after that joins the holder's
 * namespace (as its owner, hutch gets every capability there) before it
 * plans, creates the sandbox's own user namespace nested inside it, and
 * writes the sandbox's maps itself: no setuid program runs per launch.
 * podman's rootless "pause process" is the same idea.
 *
 * Who holds what: the holder runs as the user with no capability (it
 * exec'd as a non-root id). hutch, once joined, keeps only CAP_SETUID and
 * CAP_SETGID, permitted but not effective, in the holder's namespace, and
 * raises them only to write a sandbox's maps (idmap.c); programs it runs
 * get none (exec as a non-root id). The sandbox's namespace is a child of
 * the holder's; its processes hold nothing outside it, as before.
 *
 * Found through $XDG_RUNTIME_DIR/hutch/.idholder ("PID STARTTIME") and
 * trusted only when, through a pidfd and /proc/PID: the process started at
 * STARTTIME, is the user's own, its user namespace is owned by the user
 * and is a child of hutch's own, and its uid_map, gid_map and setgroups
 * are exactly what /etc/subuid and /etc/subgid give now. A holder whose
 * maps are out of date (the files changed) is ended and made again; any
 * other mismatch is ignored and a new holder made. Killing the holder is
 * harmless: running sandboxes keep their namespaces (each holds its
 * parent), and the next launch makes a new one. It exits by itself when
 * the runtime directory goes (logout). */
#pragma once
#include <glib.h>
#include <sys/types.h>
#include "idmap.h"

typedef struct {
  pid_t pid;
  guint64 start; /* clock ticks after boot, from /proc/PID/stat */
} HutchIdHolder;

/* The user's holder if it is running and fits MAP (a subordinate map from
 * hutch_idmap_plan); FALSE with *WHY (free it) saying why there is none. */
gboolean hutch_idholder_find(const HutchIdMap *map, HutchIdHolder *holder, char **why);
/* Join the holder's user namespace, making the holder first when there is
 * none and NO_MAKE is NULL (else NO_MAKE says why this launch must not
 * make one); then keep only CAP_SETUID and CAP_SETGID, permitted, not
 * effective. The caller must not have started a thread (the kernel joins
 * only single-threaded processes). FALSE with *WHY when hutch stays where
 * it is and uses newuidmap/newgidmap: the user has no subordinate ranges,
 * HUTCH_IDMAP=newuidmap is set, there is no holder and NO_MAKE is set, or
 * making or joining failed. */
gboolean hutch_idholder_join(HutchIdHolder *holder, const char *no_make, char **why);
/* The holder this process joined, or NULL. */
const HutchIdHolder *hutch_idholder_joined(void);
