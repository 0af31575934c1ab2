/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* --rootfs overlay: the lower tree (the host's system directories, or an
 * image's) under writable upper layers, one overlay per top-level
 * directory so that /proc, /dev, /tmp and home stay what the runtime step
 * makes them. Writes never reach the lower tree. */
#include "error.h"
#include "file-read.h"
#include "overlay.h"
#include "paths.h"
#include "procinfo.h"
#include "rootfs.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define WHY "overlay rootfs"
/* The name of the overlays' scratch tmpfs (upper layers, mount points). */
#define SCRATCH "/overlay"

struct HutchOverlay {
  HutchPlan *plan;
  char *fuse;        /* fuse-overlayfs when it mounts the overlays, else NULL */
  char *persist_dir; /* ~/.local/share/hutch/overlays/NAME, NULL when ephemeral */
  gboolean scratch_mounted;
  gboolean fuse_proc; /* the daemons' /proc for the setup is planned */
};

void
hutch_overlay_free(HutchOverlay *overlay)
{
  if (!overlay)
    return;
  g_free(overlay->fuse);
  g_free(overlay->persist_dir);
  g_free(overlay);
}

/* "usr" for /usr or IMAGE/rootfs/usr: the name of a layer's upper and
 * work directories. Lowers are top-level directories, so names are unique. */
static char *
layer_name(const char *lower)
{
  return g_path_get_basename(lower);
}

static gboolean
check_layer_path(const char *path, GError **error)
{
  if (strpbrk(path, ",:\\\n")) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "overlay layer %s: overlayfs options cannot name a path with ',', ':' or '\\'; "
                "rename it (or set XDG_DATA_HOME to a plainer path)",
                path);
    return FALSE;
  }
  return TRUE;
}

static const char *
persist_name(const HutchPolicy *policy, GError **error)
{
  /* --name when given, else the profile's (or the app's) name. */
  const char *name = policy->sandbox_name ? policy->sandbox_name : policy->profile_name;
  if (!name) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "--persist needs a name for the overlay to keep: add --name NAME (or use "
                "--profile NAME)");
    return NULL;
  }
  if (name[0] == '.' || strchr(name, '/')) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "--persist: '%s' cannot name an overlay directory (no '/', no leading '.')", name);
    return NULL;
  }
  return name;
}

static gboolean
inside(const char *path, const char *dir)
{
  g_autofree char *d = g_str_has_suffix(dir, "/") ? g_strdup(dir) : g_strconcat(dir, "/", NULL);
  return g_str_equal(path, dir) || g_str_has_prefix(path, d);
}

/* overlayfs refuses layers that contain each other (ELOOP); say which. */
static gboolean
check_no_overlap(const char *persist_dir, GPtrArray *lowers, GError **error)
{
  for (guint i = 0; i < lowers->len; i++) {
    const char *lower = lowers->pdata[i];
    if (inside(persist_dir, lower) || inside(lower, persist_dir)) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                  "the persistent overlay %s and its lower layer %s overlap, which overlayfs "
                  "refuses: set XDG_DATA_HOME to a directory outside %s",
                  persist_dir, lower, lower);
      return FALSE;
    }
  }
  return TRUE;
}

static const char *
unusable_upper_fs(const char *dir)
{
  struct statfs sf;
  if (statfs(dir, &sf) < 0)
    return NULL;
  switch ((unsigned long)sf.f_type) {
  case 0x794c7630UL:
    return "overlayfs";
  case 0x65735546UL:
    return "FUSE";
  case 0x6969UL:
    return "NFS";
  case 0xff534d42UL:
  case 0xfe534d42UL:
    return "CIFS/SMB";
  case 0xf15fUL:
    return "eCryptfs";
  }
  return NULL;
}

/* The marker that ties a persistent overlay to its lower tree: an upper
 * layer made over one tree shows nonsense over another. */
static gboolean
check_lower_marker(const char *dir, const char *lower_id, GError **error)
{
  g_autofree char *path = g_build_filename(dir, "lower", NULL);
  g_autofree char *old = NULL;
  if (hutch_read_file(path, 4096, &old, NULL, NULL)) {
    g_strchomp(old);
    if (g_str_equal(old, lower_id))
      return TRUE;
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "the persistent overlay %s was made over %s, not %s: use another --name, or "
                "remove that directory",
                dir, old, lower_id);
    return FALSE;
  }
  g_autofree char *text = g_strconcat(lower_id, "\n", NULL);
  return g_file_set_contents(path, text, -1, error);
}

/* How long a lock whose holder is dying may take to be released. */
#define LOCK_WAIT_MS 2000

/* Take the lock on FD; when another process holds it, wait only while
 * that process is dying or dead (kill(2) returns before the kernel has
 * released what the killed process held). *HOLDER: a live holder. */
static gboolean
lock_unless_held(int fd, pid_t *holder)
{
  *holder = 0;
  for (int ms = 0;; ms += 2) {
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
      return TRUE;
    if (errno != EWOULDBLOCK || ms >= LOCK_WAIT_MS)
      return FALSE;
    pid_t pid = hutch_flock_holder(fd);
    guint64 start = pid > 0 ? hutch_proc_start_time(pid) : 0;
    if (pid > 0 && hutch_proc_alive(pid, start) && !hutch_proc_dying(pid, start)) {
      *holder = pid;
      errno = EWOULDBLOCK;
      return FALSE;
    }
    g_usleep(2000);
  }
}

/* Two sandboxes writing one upper layer corrupt it, and with userxattr the
 * kernel only warns about that; a lock held while the sandbox runs refuses. */
static gboolean
lock_persist_dir(HutchPlan *plan, const char *dir, const char *name, GError **error)
{
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  pid_t holder = 0;
  if (fd < 0 || !lock_unless_held(fd, &holder)) {
    int e = errno;
    if (fd >= 0)
      close(fd);
    g_autofree char *who = holder ? g_strdup_printf(" (hutch pid %d)", (int)holder) : g_strdup("");
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "the persistent overlay %s (%s): %s%s%s",
                name, dir, e == EWOULDBLOCK ? "in use by another sandbox" : g_strerror(e), who,
                e == EWOULDBLOCK ? "; stop it or use another --name" : "");
    return FALSE;
  }
  hutch_plan_hold_fd(plan, "persistent overlay lock", fd);
  return TRUE;
}

typedef struct {
  HutchPlan *plan;
  char *dir;
} NewOverlay;

static NewOverlay *
new_overlay(HutchPlan *plan, const char *dir)
{
  NewOverlay *n = g_new0(NewOverlay, 1);
  n->plan = plan;
  n->dir = g_strdup(dir);
  return n;
}

static void
new_overlay_free(gpointer p)
{
  NewOverlay *n = p;
  g_free(n->dir);
  g_free(n);
}

/* An overlay made for a launch that failed (out of space, say) holds
 * nothing of an app's: it goes with the launch. */
static void
remove_unused_overlay(HutchHostResource *res)
{
  NewOverlay *n = res->data;
  if (!n->plan->started)
    hutch_rm_rf(n->dir);
}

static gboolean
make_layer_dirs(const char *dir, GPtrArray *lowers, GPtrArray *uppers, GPtrArray *works,
                GError **error)
{
  /* uppers[i] and works[i] go with lowers[i] for the probe. */
  for (guint i = 0; i < lowers->len; i++) {
    g_autofree char *name = layer_name(lowers->pdata[i]);
    char *upper = g_build_filename(dir, "upper", name, NULL);
    char *work = g_build_filename(dir, "work", name, NULL);
    g_ptr_array_add(uppers, upper);
    g_ptr_array_add(works, work);
    if (g_mkdir_with_parents(upper, 0755) < 0 || g_mkdir_with_parents(work, 0700) < 0) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot create %s: %s", upper,
                  g_strerror(errno));
      return FALSE;
    }
  }
  return TRUE;
}

static gboolean
prepare_persistent(HutchOverlay *ov, const char *lower_id, GPtrArray *lowers, GPtrArray *names,
                   GPtrArray *uppers, GPtrArray *works, GError **error)
{
  HutchPlan *plan = ov->plan;
  const char *name = persist_name(plan->policy, error);
  if (!name)
    return FALSE;
  g_autofree char *data = hutch_user_data_dir();
  ov->persist_dir = g_build_filename(data, "overlays", name, NULL);
  if (!check_layer_path(ov->persist_dir, error) ||
      !check_no_overlap(ov->persist_dir, lowers, error))
    return FALSE;
  hutch_plan_note(plan, "persistent overlay: %s", ov->persist_dir);
  if (plan->policy->dry_run)
    return TRUE; /* nothing is made on the host; the probe uses tmpfs uppers */
  gboolean is_new = access(ov->persist_dir, F_OK) < 0;
  if (g_mkdir_with_parents(ov->persist_dir, 0700) < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot create %s: %s", ov->persist_dir,
                g_strerror(errno));
    return FALSE;
  }
  if (is_new)
    hutch_plan_add_resource(plan, "new persistent overlay", remove_unused_overlay,
                            new_overlay(plan, ov->persist_dir), new_overlay_free);
  const char *fs = unusable_upper_fs(ov->persist_dir);
  if (fs && !ov->fuse) {
    g_autofree char *why = NULL;
    ov->fuse = hutch_overlay_find_fuse(&why);
    if (!ov->fuse) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                  "the persistent overlay %s is on %s, which the kernel's overlayfs cannot use "
                  "as an upper layer, and %s; or set XDG_DATA_HOME to a local filesystem",
                  ov->persist_dir, fs, why);
      return FALSE;
    }
    hutch_plan_note(plan, "upper layer on %s: mounting with %s", fs, ov->fuse);
  }
  return lock_persist_dir(plan, ov->persist_dir, name, error) &&
         check_lower_marker(ov->persist_dir, lower_id, error) &&
         make_layer_dirs(ov->persist_dir, names, uppers, works, error);
}

/* HUTCH_OVERLAY_METHOD=kernel|fuse overrides the probe (troubleshooting,
 * and the tests of the fallback on kernels that need none). */
static gboolean
choose_method(HutchOverlay *ov, GPtrArray *lowers, GPtrArray *uppers, GPtrArray *works,
              GError **error)
{
  const char *forced = g_getenv("HUTCH_OVERLAY_METHOD");
  g_autofree char *fuse_why = NULL;
  if (forced && !g_str_equal(forced, "kernel") && !g_str_equal(forced, "fuse")) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "HUTCH_OVERLAY_METHOD=%s: use kernel or fuse (or unset it)", forced);
    return FALSE;
  }
  if (!ov->fuse && forced && g_str_equal(forced, "fuse")) {
    ov->fuse = hutch_overlay_find_fuse(&fuse_why);
    if (!ov->fuse) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "HUTCH_OVERLAY_METHOD=fuse: %s", fuse_why);
      return FALSE;
    }
  }
  if (ov->fuse)
    return TRUE;
  int failed;
  int err = hutch_overlay_try_kernel(lowers, uppers->len ? uppers : NULL, works->len ? works : NULL,
                                     &failed);
  if (!err || failed < 0)
    return TRUE; /* no namespace at all: the launch explains that better */
  const char *lower = lowers->pdata[failed];
  if (forced) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot overlay %s: %s (%s)", lower,
                g_strerror(err), hutch_overlay_errno_hint(err));
    return FALSE;
  }
  ov->fuse = hutch_overlay_find_fuse(&fuse_why);
  if (!ov->fuse) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "cannot overlay %s: the kernel's overlayfs refused it (%s: %s), and the "
                "fallback cannot be used: %s",
                lower, g_strerror(err), hutch_overlay_errno_hint(err), fuse_why);
    return FALSE;
  }
  hutch_plan_note(ov->plan, "kernel overlayfs refused %s (%s); mounting with %s", lower,
                  g_strerror(err), ov->fuse);
  return TRUE;
}

HutchOverlay *
hutch_overlay_prepare(HutchPlan *plan, const char *lower_id, GPtrArray *lowers, GError **error)
{
  g_autoptr(HutchOverlay) ov = g_new0(HutchOverlay, 1);
  ov->plan = plan;
  g_autoptr(GPtrArray) real = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < lowers->len; i++) {
    char *r = realpath(lowers->pdata[i], NULL);
    if (!r) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "overlay lower layer %s: %s",
                  (char *)lowers->pdata[i], g_strerror(errno));
      return NULL;
    }
    g_ptr_array_add(real, r);
    if (!check_layer_path(r, error))
      return NULL;
  }
  g_autoptr(GPtrArray) uppers = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) works = g_ptr_array_new_with_free_func(g_free);
  if (plan->policy->persist &&
      !prepare_persistent(ov, lower_id, real, lowers, uppers, works, error))
    return NULL;
  if (!choose_method(ov, real, uppers, works, error))
    return NULL;
  hutch_plan_note(plan, "overlay rootfs: %s over %s, upper layers %s",
                  ov->fuse ? "fuse-overlayfs" : "kernel overlayfs", lower_id,
                  ov->persist_dir ? ov->persist_dir : "in a tmpfs, discarded at exit");
  return g_steal_pointer(&ov);
}

static HutchOp *
add_raw_op(HutchPlan *plan, GArray *ops, HutchOpType type, const char *dest, const char *show_dest)
{
  HutchOp op = {.type = type, .why = WHY};
  op.dest = g_string_chunk_insert(plan->strings, dest);
  op.show_dest = g_string_chunk_insert(plan->strings, show_dest);
  g_array_append_val(ops, op);
  return &g_array_index(ops, HutchOp, ops->len - 1);
}

static void
add_dir(HutchPlan *plan, GArray *ops, const char *path, guint mode)
{
  HutchOp *op = add_raw_op(plan, ops, HUTCH_OP_MKDIR, path, path);
  op->mode = mode;
}

/* Where the upper layers (and fuse-overlayfs's mount points) go, made
 * once at DEST; not needed by persistent kernel overlays. Kernel overlays
 * are mounted after the pivot: DEST is a directory of the child's scratch
 * root, so the layers share the scratch space's one size (scratch.c).
 * fuse-overlayfs runs before there is a scratch root: its own tmpfs, of
 * that size. */
static void
mount_scratch(HutchOverlay *ov, GArray *ops, const char *dest, gboolean own_tmpfs)
{
  if (ov->scratch_mounted)
    return;
  HutchOp *op = add_raw_op(ov->plan, ops, own_tmpfs ? HUTCH_OP_TMPFS : HUTCH_OP_MKDIR, dest,
                           "(overlay scratch)");
  if (own_tmpfs) {
    g_autofree char *options = hutch_plan_tmpfs_options(ov->plan, 0755);
    op->data = g_string_chunk_insert(ov->plan->strings, options);
  } else {
    op->mode = 0755;
  }
  ov->scratch_mounted = TRUE;
}

/* Upper and work directories of one layer as the child sees them: in the
 * scratch tmpfs at SCRATCH_DIR, or the persistent ones under PREFIX. */
static void
layer_dirs(HutchOverlay *ov, const char *name, const char *scratch_dir, const char *prefix,
           char **upper, char **work)
{
  if (ov->persist_dir) {
    *upper = g_strconcat(prefix, ov->persist_dir, "/upper/", name, NULL);
    *work = g_strconcat(prefix, ov->persist_dir, "/work/", name, NULL);
  } else {
    *upper = g_strconcat(scratch_dir, "/upper/", name, NULL);
    *work = g_strconcat(scratch_dir, "/work/", name, NULL);
  }
}

/* Kernel overlayfs is mounted with the other ops, after the pivot: the
 * scratch tmpfs is at SCRATCH in the child's scratch root, outside the new
 * root, and host paths are under HUTCH_OLDROOT. */
static void
mount_kernel(HutchOverlay *ov, const char *lower, const char *sandbox_path, const char *name)
{
  HutchPlan *plan = ov->plan;
  g_autofree char *upper = NULL, *work = NULL;
  if (!ov->persist_dir)
    mount_scratch(ov, plan->ops, SCRATCH, FALSE);
  layer_dirs(ov, name, SCRATCH, HUTCH_OLDROOT, &upper, &work);
  if (!ov->persist_dir) {
    /* The merged directory takes its owner and mode from the upper one. */
    add_dir(plan, plan->ops, upper, 0755);
    add_dir(plan, plan->ops, work, 0700);
  }
  HutchOp *op = hutch_plan_add_op(plan, HUTCH_OP_OVERLAY, lower, sandbox_path, WHY);
  g_autofree char *data = g_strdup_printf("lowerdir=%s%s,upperdir=%s,workdir=%s,userxattr",
                                          HUTCH_OLDROOT, lower, upper, work);
  op->data = g_string_chunk_insert(plan->strings, data);
}

/* fuse-overlayfs runs before the child covers /tmp with its scratch root,
 * so every host path (a lower or upper under /tmp too) resolves as on the
 * host and host binaries run. Its mounts go on a tmpfs over the sandbox's
 * runtime dir, in the child's mount namespace only; after the pivot they
 * are under HUTCH_OLDROOT and bound into the new root like any directory. */
static void
mount_fuse(HutchOverlay *ov, const char *lower, const char *sandbox_path, const char *name)
{
  HutchPlan *plan = ov->plan;
  g_autofree char *scratch =
      g_strconcat(plan->runtime_dir ? plan->runtime_dir : "/(sandbox runtime dir)", SCRATCH, NULL);
  g_autofree char *upper = NULL, *work = NULL;
  mount_scratch(ov, plan->pre_ops, scratch, TRUE);
  layer_dirs(ov, name, scratch, "", &upper, &work);
  if (!ov->persist_dir) {
    add_dir(plan, plan->pre_ops, upper, 0755);
    add_dir(plan, plan->pre_ops, work, 0700);
  }
  g_autofree char *merged = g_strconcat(scratch, "/merged/", name, NULL);
  HutchOp *op = add_raw_op(plan, plan->pre_ops, HUTCH_OP_FUSE_OVERLAY, merged, sandbox_path);
  op->src = g_string_chunk_insert(plan->strings, ov->fuse);
  op->show_src = g_string_chunk_insert(plan->strings, lower);
  g_autofree char *data = g_strdup_printf("lowerdir=%s,upperdir=%s,workdir=%s", lower, upper, work);
  op->data = g_string_chunk_insert(plan->strings, data);

  /* The daemon reaches its layers through /proc/self/fd; between the two
   * pivots its root is the child's scratch root, which has no /proc but
   * this one (it goes with the scratch root; then the sandbox's serves). */
  if (!ov->fuse_proc) {
    HutchOp *proc = hutch_plan_add_op(plan, HUTCH_OP_BIND, "/proc", NULL, WHY);
    proc->dest = "/proc";
    proc->show_dest = "/proc of the setup (for fuse-overlayfs)";
    proc->flags = HUTCH_OPF_RDONLY;
    ov->fuse_proc = TRUE;
  }
  HutchOp *bind = hutch_plan_add_op(plan, HUTCH_OP_BIND, NULL, sandbox_path, WHY);
  g_autofree char *src = g_strconcat(HUTCH_OLDROOT, merged, NULL);
  bind->src = g_string_chunk_insert(plan->strings, src);
  bind->show_src = "(fuse-overlayfs)";
}

gboolean
hutch_overlay_mount(HutchOverlay *ov, const char *lower, const char *sandbox_path, GError **error)
{
  g_autofree char *real = realpath(lower, NULL);
  if (!real) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "overlay lower layer %s: %s", lower,
                g_strerror(errno));
    return FALSE;
  }
  g_autofree char *name = layer_name(lower);
  if (ov->fuse)
    mount_fuse(ov, real, sandbox_path, name);
  else
    mount_kernel(ov, real, sandbox_path, name);
  return TRUE;
}
