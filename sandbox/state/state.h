/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The record of running sandboxes: one directory per sandbox under
 * $XDG_RUNTIME_DIR/hutch/NAME holding
 *   state        a GKeyFile, rewritten atomically (write + rename) by the
 *                sandbox's own hutch process only: name, profile, command,
 *                hutch's pid and start time, init's pid and start time,
 *                namespace ids, permissions, limits, phase;
 *   cleanup      host-side undo entries for when hutch dies (see below);
 *   seccomp.bpf  the exact filter the sandbox runs under, for `hutch enter`;
 *   stopping     present once `hutch stop` asked the sandbox to end;
 * plus whatever files passthroughs keep there.
 *
 * A sandbox is live while its hutch process is: its pid AND its start time
 * (from /proc/PID/stat) must match the record, so a reused pid never keeps
 * a dead sandbox alive. The sandbox itself cannot outlive hutch (it gets
 * SIGKILL when hutch dies), so a dead hutch means a dead sandbox.
 *
 * Concurrency: a directory appears under its name only complete, with its
 * state file inside (it is built as ".new-PID-START" and renamed with
 * RENAME_NOREPLACE, which is also what makes names unique). A stale
 * directory is claimed by renaming it to ".stale-PID-START-NAME" before it is
 * cleaned, so two hutch commands never clean the same sandbox twice, and a
 * cleaner that dies half-way leaves a directory the next one takes over.
 * Taking a NAME away is done under an exclusive flock on ".lock" in the
 * runtime root, after reading NAME's state again under it: only a claim
 * frees a name, and a claim needs the lock, so the directory a cleaner
 * renames is always the dead one it checked, never a new sandbox that took
 * the name meanwhile. Publishing needs no lock (it never replaces), nor
 * does a sandbox's own hutch removing its directory at exit.
 * ".tmp-PID-START-WHAT" directories are scratch space of one process,
 * removed once it is dead.
 *
 * Host cleanups when hutch dies: a plan step that creates something on the
 * host that would outlive hutch (a cgroup, a PulseAudio module, ...) records
 * it with hutch_state_add_cleanup(plan->runtime_dir, "TYPE", "DATA") BEFORE
 * creating it, and registers the undo for TYPE with one line in
 * hutch_cleanup_handlers[] (launch/cleanup-handlers.c), which the program
 * hands to hutch_state_set_cleanup_handlers at start. The normal exit path
 * still undoes it through the plan's own resources (hutch_plan_add_resource);
 * the handler runs only for a sandbox whose hutch died, from whichever hutch
 * command runs next, so it must be idempotent and tolerate a resource that
 * was never created or is already gone, and DATA must name this sandbox's
 * resource alone (a new sandbox of the same name may exist meanwhile). The
 * handlers run in a background process that the command waits for only
 * briefly (state/undo.c): a server that does not answer never blocks an
 * unrelated command. A handler that fails returns FALSE: its entry is kept
 * and retried by a later command, never forgotten. */
#pragma once
#include <glib.h>
#include <sys/types.h>
#include "namespaces.h"

typedef enum {
  HUTCH_SB_STARTING,
  HUTCH_SB_RUNNING,
  HUTCH_SB_FROZEN,
  HUTCH_SB_STOPPING,
} HutchSandboxState;

typedef struct {
  char *name;
  char *dir;
  char *profile; /* NULL when none */
  char **command;
  pid_t hutch_pid;
  guint64 hutch_start; /* clock ticks after boot, from /proc/PID/stat */
  pid_t init_pid;      /* host view; 0 while starting */
  guint64 init_start;
  gint64 started;             /* wall clock, microseconds since the epoch */
  char *phase;                /* "starting" or "running" */
  char **permissions;         /* names granted */
  char *network;              /* none, host, user */
  char *limits;               /* in words, "" when none */
  char *freeze_method;        /* "cgroup" or "signal" */
  char *cgroup;               /* the sandbox's cgroup directory, NULL when none */
  gboolean seccomp;           /* a filter is in seccomp.bpf */
  guint64 ns[HUTCH_NS_COUNT]; /* by HutchNs; 0: not recorded */
  gboolean stopping;          /* the stopping marker exists */
} HutchState;

void hutch_state_free(HutchState *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HutchState, hutch_state_free)

/* Write DIR/state from STATE (atomic replace). */
gboolean hutch_state_save(const HutchState *state, GError **error);
/* Read DIR/state; a missing or broken file is an error naming it. */
HutchState *hutch_state_load(const char *dir, GError **error);
/* TRUE while the sandbox's hutch process lives. */
gboolean hutch_state_alive(const HutchState *state);
HutchSandboxState hutch_state_phase(const HutchState *state);

/* Make NAME's directory with a first state (name, this process as hutch,
 * phase "starting"). With GENERATED, NAME is a base and the first free of
 * NAME, NAME-2, NAME-3, ... is taken; otherwise NAME taken by a live
 * sandbox is an error. Sets *name_out and *dir_out. */
gboolean hutch_state_claim(const char *name, gboolean generated, char **name_out, char **dir_out,
                           GError **error);

/* Every live sandbox of this user, sorted by name; stale ones are cleaned
 * on the way. Never fails: an unreadable runtime dir gives an empty list. */
GPtrArray *hutch_state_list(void);
/* The live sandbox called NAME, else a HUTCH_ERROR_NOT_FOUND error. */
HutchState *hutch_state_find(const char *name, GError **error);
/* Clean every stale sandbox directory; every hutch command calls this first. */
void hutch_state_clean_stale(void);

/* Remove DIR, this process's own sandbox directory, once its resources
 * are released: it leaves its name at once, whole. */
void hutch_state_remove(const char *dir);

/* A fresh private scratch directory "$XDG_RUNTIME_DIR/hutch/.tmp-PID-START-WHAT"
 * for this process; the caller removes it, and the next hutch command
 * does once this process is dead. */
char *hutch_state_scratch_dir(const char *what, GError **error);

/* "PID-START" of this process: what names its claims, and what tells its
 * resources from those of an earlier sandbox of the same name. */
const char *hutch_state_self_tag(void);

/* Record a host-side undo for DIR's sandbox (see above). */
gboolean hutch_state_add_cleanup(const char *dir, const char *type, const char *data,
                                 GError **error);

typedef struct {
  const char *type;
  /* Undo what DATA names; runs only after the sandbox's hutch died. FALSE
   * with ERROR when it could not: the entry is kept for a later retry. */
  gboolean (*run)(const char *data, GError **error);
} HutchCleanupHandler;

/* The undo handlers stale cleanup runs (a table ending in a NULL type).
 * Until a program sets them, a dead sandbox that recorded undo entries is
 * left for a later command rather than forgotten. */
void hutch_state_set_cleanup_handlers(const HutchCleanupHandler *handlers);
