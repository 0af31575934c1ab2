/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cgroup v2 for users who have a delegated subtree (a systemd user session
 * delegates user@UID.service; an administrator can chown a cgroup to the
 * user). Each sandbox gets its own cgroup next to or below the caller's:
 * cgroup.freeze freezes it, memory.max, pids.max and cpu.weight limit it
 * where those controllers are enabled, cpu.stat and memory.current measure
 * it. Without delegation hutch falls back to signals and rlimits. */
#pragma once
#include <glib.h>

typedef enum {
  HUTCH_CG_MEMORY = 1u << 0,
  HUTCH_CG_PIDS = 1u << 1,
  HUTCH_CG_CPU = 1u << 2,
} HutchCgroupController;

typedef struct {
  char *parent;      /* where sandbox cgroups are made; NULL when no delegation */
  guint controllers; /* HutchCgroupController bits enabled for its children */
  char *why;         /* when parent is NULL: why not, and what to do */
} HutchCgroupBase;

/* Look for a cgroup the user may create children in: the caller's own
 * cgroup or the nearest ancestor owned by the user, preferring the one whose
 * children get the most of memory, pids and cpu. Never fails; without
 * delegation base->parent is NULL and base->why says why. */
void hutch_cgroup_find_base(HutchCgroupBase *base);
void hutch_cgroup_base_clear(HutchCgroupBase *base);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(HutchCgroupBase, hutch_cgroup_base_clear)
/* "memory, pids, cpu" or "no controllers". */
char *hutch_cgroup_controllers_string(guint controllers);

/* mkdir DIR; a leftover of the same name is removed first. */
gboolean hutch_cgroup_create(const char *dir, GError **error);
/* Write VALUE to DIR/FILE, with an error naming the file. */
gboolean hutch_cgroup_write(const char *dir, const char *file, const char *value, GError **error);
/* Freeze or thaw DIR and wait until cgroup.events agrees (at most 5 s). */
gboolean hutch_cgroup_set_frozen(const char *dir, gboolean frozen, GError **error);
gboolean hutch_cgroup_is_frozen(const char *dir);
/* CPU time from cpu.stat; memory from memory.current, -1 when the memory
 * controller is off for DIR. FALSE when DIR is gone. */
gboolean hutch_cgroup_usage(const char *dir, guint64 *cpu_usec, gint64 *memory_bytes);
/* Kill what is left in DIR and remove it (waiting at most 2 s for the
 * kernel to let its processes go). */
gboolean hutch_cgroup_remove(const char *dir, GError **error);
/* The stale-sandbox cleanup handler for type "cgroup" (see state.h). */
gboolean hutch_cgroup_cleanup(const char *dir, GError **error);
