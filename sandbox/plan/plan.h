/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Plan: the concrete operations that build one sandbox on this host.
 * Everything that can fail for host reasons fails while the Plan is built;
 * the child then runs the ops with raw syscalls and no allocation. */
#pragma once
#include <glib.h>
#include <linux/filter.h>
#include <stdio.h>
#include <sys/types.h>
#include "idmap.h"
#include "policy.h"
#include "reslimit.h"
#include "seccomp-filter.h"

/* The child pivots into a tmpfs at this host directory; host paths are then
 * reached under OLDROOT and the new root is assembled under NEWROOT. */
#define HUTCH_BASE_DIR "/tmp"
#define HUTCH_OLDROOT "/oldroot"
#define HUTCH_NEWROOT "/newroot"
/* In the child's scratch root: the directories that the writable tmpfs
 * ops bind into the new root (scratch.c). */
#define HUTCH_SCRATCH_DIR "/tmpfs"
/* The new root itself holds only mount points and symlinks, and is made
 * read-only before the app runs. */
#define HUTCH_NEWROOT_OPTIONS "mode=0755,size=4m"

typedef enum {
  HUTCH_OP_BIND,         /* bind src (a host path) at dest */
  HUTCH_OP_TMPFS,        /* fresh tmpfs at dest, data = mount options; with
                          * HUTCH_OPF_SCRATCH a fresh directory (src) of the
                          * scratch tmpfs, mode in mode (scratch.c) */
  HUTCH_OP_PROC,         /* fresh procfs at dest */
  HUTCH_OP_DEVPTS,       /* new devpts instance at dest */
  HUTCH_OP_MQUEUE,       /* fresh mqueue at dest */
  HUTCH_OP_SYMLINK,      /* symlink at dest pointing to data */
  HUTCH_OP_MKDIR,        /* directory at dest, mode */
  HUTCH_OP_REMOUNT_RO,   /* make dest (recursively) read-only */
  HUTCH_OP_OVERLAY,      /* overlayfs at dest, data = mount options */
  HUTCH_OP_FUSE_OVERLAY, /* pre-pivot only: run fuse-overlayfs (src) -o data on dest */
} HutchOpType;

typedef enum {
  HUTCH_OPF_RDONLY = 1u << 0,
  HUTCH_OPF_DEVICES = 1u << 1,  /* keep device nodes usable (no nodev) */
  HUTCH_OPF_FILE = 1u << 2,     /* the mount point is a file, not a directory */
  HUTCH_OPF_OPTIONAL = 1u << 3, /* skip when the source vanished since planning */
  HUTCH_OPF_NOEXEC = 1u << 4,
  HUTCH_OPF_SEAL = 1u << 5,    /* made read-only by the finish step, after later mounts */
  HUTCH_OPF_SCRATCH = 1u << 6, /* TMPFS: a directory of the shared scratch tmpfs */
} HutchOpFlags;

typedef struct {
  HutchOpType type;
  guint flags;
  guint mode;            /* MKDIR, TMPFS root mode */
  const char *src;       /* absolute path the child opens: HUTCH_OLDROOT + host path */
  const char *dest;      /* absolute path the child mounts on: HUTCH_NEWROOT + sandbox path */
  const char *data;      /* TMPFS/OVERLAY options, SYMLINK target */
  const char *show_src;  /* host path, for dry-run and errors */
  const char *show_dest; /* sandbox path, for dry-run and errors */
  const char *why;       /* what asked for this op: "host rootfs", "--ro", a profile line */
} HutchOp;

/* A host-side resource the plan created (an audio module, an X cookie, a
 * runtime dir); undone on every exit path of supervise, in reverse order. */
typedef struct HutchHostResource HutchHostResource;
struct HutchHostResource {
  char *description;
  void (*release)(HutchHostResource *res);
  gpointer data;
  GDestroyNotify data_free;
  gboolean waits_on_server; /* released beside its neighbours of the same kind */
};

typedef struct {
  HutchPolicy *policy;   /* borrowed */
  GStringChunk *strings; /* owns every string the ops point to */
  GArray *ops;           /* HutchOp */
  GArray *pre_ops;       /* HutchOp run on the host's tree as it is, before the child
                          * mounts its scratch root (fuse-overlayfs: rootfs-overlay.c) */
  int clone_flags;
  char **envp;
  char **argv;     /* argv for the init helper: hutch-init [opts] -- cmd... */
  char **app_argv; /* the app's argv (points into argv) */
  char *hostname;
  char *chdir;
  gboolean chdir_strict;     /* --chdir given: failing to enter it is an error */
  char *name;                /* sandbox name */
  char *runtime_dir;         /* host: $XDG_RUNTIME_DIR/hutch/NAME */
  char *sandbox_runtime_dir; /* inside: /run/user/UID */
  char *home;                /* inside: $HOME */
  const char *resolv_conf;   /* inside: where the resolver configuration is read, when not
                              * /etc/resolv.conf (the host's /etc links it into /run) */
  gboolean loopback;         /* bring lo up in the new netns */
  GByteArray *netlink;       /* NETLINK_ROUTE requests the child sends in its new netns, each
                              * acknowledged (net/: rules that keep host addresses out) */
  char *ping_group_range;    /* written to the new netns's net.ipv4.ping_group_range, best
                              * effort (unprivileged ping); NULL: left as it is */
  gboolean new_session;      /* setsid before exec */
  HutchIdMap idmap;
  uid_t uid;
  gid_t gid;
  char *init_path;
  int init_fd;      /* O_PATH fd of hutch-init, executed with execveat */
  GArray *keep_fds; /* int: fds passed through unchanged */
  HutchSeccompProgram seccomp;
  gboolean state_recorded;   /* the state file describes the running sandbox */
  gboolean started;          /* the command got its go: what it writes is its own */
  GPtrArray *resources;      /* HutchHostResource*, released by hutch_plan_release */
  GArray *held_fds;          /* int: hutch_plan_hold_fd's locks, which the child closes first:
                              * its copies would hold them after hutch died */
  GPtrArray *tasks;          /* plan-tasks.c: running host work the app waits for */
  GArray *child_hooks;       /* plan-tasks.c: host work that needs the child's pid */
  gboolean await_go;         /* the child waits for the tasks before it runs the app */
  GPtrArray *notes;          /* char*: lines the dry-run prints about host decisions */
  GHashTable *resolved_dirs; /* host dir -> its realpath: hutch_plan_resolve */
  GHashTable *rule_paths;    /* HutchPathRule* -> its path expanded: hutch_plan_rule_path */
  GPtrArray *protected;      /* protect.c: what no grant opens */
  HutchLimits limits;        /* reslimit.c: cgroup or rlimits, and how to freeze */
  guint64 scratch_size;      /* scratch.c: bytes every writable tmpfs shares */
  guint64 scratch_inodes;
  const char *scratch_size_why;
  const char *scratch_options; /* the scratch root's mount options */
  guint stdio_null_mask;       /* detach.c: bits 0-2: these fds become stdio_null_fd */
  int stdio_null_fd;
  int stdio_log_fd; /* detach.c: stdout and stderr among them go here; -1: null */
} HutchPlan;

typedef struct HutchPlanStep HutchPlanStep;
/* Plan a sandbox for POLICY by running STEPS (a table ending in a NULL
 * name) in order; launch/steps.c has the table a launch uses. */
HutchPlan *hutch_plan_new(HutchPolicy *policy, const HutchPlanStep *steps, GError **error);
/* The plan of a helper sandbox that serves OUTER's app (the D-Bus proxy):
 * it shares OUTER's name and runtime dir (claiming and removing neither),
 * maps only the user's own ids and starts from an empty environment. */
HutchPlan *hutch_plan_new_helper(HutchPolicy *policy, const HutchPlan *outer,
                                 const HutchPlanStep *steps, GError **error);
void hutch_plan_free(HutchPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HutchPlan, hutch_plan_free)

/* Undo every host resource, newest first; safe to call twice. */
void hutch_plan_release(HutchPlan *plan);

/* Building blocks the passthrough files use to add to a plan. */
HutchOp *hutch_plan_add_op(HutchPlan *plan, HutchOpType type, const char *host_path,
                           const char *sandbox_path, const char *why);
/* RULE's path expanded against the plan's home (hutch_expand_path), made
 * once per plan: a launch asks for each of a hundred rules several times.
 * NULL where it does not expand; expand it again for the error. */
const char *hutch_plan_rule_path(HutchPlan *plan, const HutchPathRule *rule);
/* PATH's realpath, with ST its stat, or NULL with errno set where it does
 * not resolve. The same as realpath() and stat(), for less: see plan.c. */
struct stat;
char *hutch_plan_resolve(HutchPlan *plan, const char *path, struct stat *st);
/* Bind a host path at the same or another sandbox path; stats the source now so
 * the child knows whether the mount point is a file. Returns FALSE with error
 * when the source is missing unless optional. */
gboolean hutch_plan_bind(HutchPlan *plan, const char *host_path, const char *sandbox_path,
                         guint flags, const char *why, GError **error);
/* Run WRAPPER (a NULL-terminated argv whose last item is "--") in the
 * app's place, with the app's argv after it; app_argv stays the app's. */
void hutch_plan_wrap_app(HutchPlan *plan, const char *const *wrapper);
void hutch_plan_setenv(HutchPlan *plan, const char *key, const char *value);
void hutch_plan_unsetenv(HutchPlan *plan, const char *key);
const char *hutch_plan_getenv(HutchPlan *plan, const char *key);
void hutch_plan_note(HutchPlan *plan, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void hutch_plan_add_resource(HutchPlan *plan, const char *description,
                             void (*release)(HutchHostResource *), gpointer data,
                             GDestroyNotify data_free);
/* Keep FD (a lock, say) open while the sandbox runs; closed by
 * hutch_plan_release. Only hutch holds it: the child closes its copy. */
void hutch_plan_hold_fd(HutchPlan *plan, const char *description, int fd);
/* A resource whose release is a round trip to a server (an X cookie, a
 * sound-server module): consecutive ones are released side by side. */
void hutch_plan_add_server_resource(HutchPlan *plan, const char *description,
                                    void (*release)(HutchHostResource *), gpointer data,
                                    GDestroyNotify data_free);

/* The scratch space (scratch.c; its size is planned by a step): a writable
 * tmpfs at SANDBOX_PATH, as a directory of it; the options of a tmpfs of
 * that size mounted on its own. */
HutchOp *hutch_plan_tmpfs(HutchPlan *plan, const char *sandbox_path, guint mode, const char *why);
char *hutch_plan_tmpfs_options(const HutchPlan *plan, guint mode);
char *hutch_scratch_describe(const HutchPlan *plan);

/* dry-run */
void hutch_plan_print(const HutchPlan *plan, FILE *out);
const char *hutch_op_type_name(HutchOpType type);
