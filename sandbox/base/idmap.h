/* User and group id maps: subordinate ranges through newuidmap/newgidmap
 * when the caller has them, the caller's own ids alone otherwise. */
#pragma once
#include <glib.h>
#include <sys/types.h>
#include "plan.h"

/* Read NAME:START:COUNT lines (owner by name or numeric id) from a subid file. */
GArray *hutch_subid_ranges(const char *file, const char *user, guint32 id);
/* Choose the method and compute the ranges for the caller; never fails: the
 * single-id map is always possible. */
void hutch_idmap_plan(HutchIdMap *map, uid_t uid, gid_t gid, const char *user);
void hutch_idmap_clear(HutchIdMap *map);
/* Parent side: write the maps of process PID (still waiting in its new user namespace). */
gboolean hutch_idmap_apply(const HutchIdMap *map, pid_t pid, GError **error);
void hutch_idmap_describe(const HutchIdMap *map, GString *out);
