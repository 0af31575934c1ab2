/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* User and group id maps: subordinate ranges through newuidmap/newgidmap
 * when the caller has them, the caller's own ids alone otherwise. */
#pragma once
#include <glib.h>
#include <sys/types.h>

typedef struct {
  guint32 inside;
  guint32 outside;
  guint32 count;
} HutchIdRange;

typedef enum {
  HUTCH_IDMAP_SUBORDINATE, /* newuidmap/newgidmap with /etc/subuid ranges */
  HUTCH_IDMAP_SINGLE,      /* only the caller's own ids, setgroups denied */
  HUTCH_IDMAP_HOLDER,      /* the subordinate layout, written by hutch itself from
                            * inside the id holder's namespace (idholder.h) */
} HutchIdMapMethod;

typedef struct {
  HutchIdMapMethod method;
  GArray *uid_ranges; /* HutchIdRange */
  GArray *gid_ranges;
  char *newuidmap; /* helper paths when method is SUBORDINATE */
  char *newgidmap;
  char *why;           /* why this method: "no /etc/subuid range for alice" ... */
  GPtrArray *problems; /* broken lines of the subid files ("FILE:LINE: ..."), left out */
  GPtrArray *notes;    /* how the ranges were fitted: own id, overlaps, the kernel's limit */
} HutchIdMap;

/* Choose the method and compute the ranges for the caller; never fails: the
 * single-id map is always possible. */
void hutch_idmap_plan(HutchIdMap *map, uid_t uid, gid_t gid, const char *user);
/* Only the caller's own ids, whatever ranges it has: for a helper sandbox
 * that needs no other id and should not pay for newuidmap. */
void hutch_idmap_plan_single(HutchIdMap *map, uid_t uid, gid_t gid, const char *why);
void hutch_idmap_clear(HutchIdMap *map);
/* Append to OUT (HutchIdRange) the map of the subordinate ranges SUBS
 * (HutchSubRange) around the caller's OWN id (WHAT: "uid" or "gid"; SOURCE:
 * the file, for NOTES): each id once, never OWN but as itself, and no more
 * lines than the kernel's map holds; NOTES says what was left out. */
void hutch_idmap_layout(GArray *out, GArray *subs, guint32 own, const char *what,
                        const char *source, GPtrArray *notes);

/* Write MAP's subordinate layout directly, without newuidmap/newgidmap:
 * for a process that joined the id holder's namespace (holding CAP_SETUID
 * and CAP_SETGID permitted there, see caps.h). WHY says which holder. */
void hutch_idmap_use_holder(HutchIdMap *map, char *why);
/* Parent side: write the maps of process PID (still waiting in its new user namespace). */
gboolean hutch_idmap_apply(const HutchIdMap *map, pid_t pid, GError **error);
void hutch_idmap_describe(const HutchIdMap *map, GString *out);

/* The single-id map, the one copy every user of it shares: setgroups
 * denied, then UID and GID each mapped to themselves, written into
 * PROC_DIR ("/proc/PID" of a child waiting in its new user namespace, or
 * "/proc/self"). Async-signal-safe (forked children call it). Returns 0
 * or an errno. */
int hutch_idmap_write_single(const char *proc_dir, uid_t uid, gid_t gid);
/* unshare(CLONE_NEWUSER) and map the caller's own ids in it, for probes
 * that try what the kernel allows. Returns 0 or an errno. */
int hutch_idmap_unshare_self(void);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(HutchIdMap, hutch_idmap_clear)
