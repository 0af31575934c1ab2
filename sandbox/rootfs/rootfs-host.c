/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The default root filesystem: the host's /usr read-only, its /etc
 * (rootfs-etc.c), and fresh /proc, /dev, /tmp and /run. */
#include "error.h"
#include "plan-steps.h"
#include "rootfs.h"
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WHY HUTCH_ROOTFS_HOST_WHY

/* On merged-/usr these are symlinks into /usr; elsewhere real directories. */
static const char *const top_level_dirs[] = {
    "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", NULL,
};

GPtrArray *
hutch_rootfs_host_system_dirs(void)
{
  GPtrArray *dirs = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(dirs, g_strdup("/usr"));
  for (const char *const *d = top_level_dirs; *d; d++) {
    struct stat st;
    if (lstat(*d, &st) == 0 && S_ISDIR(st.st_mode))
      g_ptr_array_add(dirs, g_strdup(*d));
  }
  if (g_file_test("/opt", G_FILE_TEST_IS_DIR))
    g_ptr_array_add(dirs, g_strdup("/opt"));
  return dirs;
}

static gboolean
mount_system_dir(HutchPlan *plan, HutchOverlay *overlay, const char *dir, guint flags,
                 GError **error)
{
  if (overlay)
    return g_file_test(dir, G_FILE_TEST_IS_DIR) ? hutch_overlay_mount(overlay, dir, dir, error)
                                                : TRUE;
  return hutch_plan_bind(plan, dir, dir, HUTCH_OPF_RDONLY | flags, WHY, error);
}

gboolean
hutch_rootfs_host_system(HutchPlan *plan, HutchOverlay *overlay, GError **error)
{
  if (!mount_system_dir(plan, overlay, "/usr", 0, error))
    return FALSE;
  for (const char *const *d = top_level_dirs; *d; d++) {
    struct stat st;
    if (lstat(*d, &st) < 0)
      continue;
    if (S_ISLNK(st.st_mode)) {
      g_autofree char *target = g_file_read_link(*d, NULL);
      if (!target)
        continue;
      HutchOp *op = hutch_plan_add_op(plan, HUTCH_OP_SYMLINK, NULL, *d, WHY);
      op->data = g_string_chunk_insert(plan->strings, target);
    } else if (S_ISDIR(st.st_mode)) {
      if (!mount_system_dir(plan, overlay, *d, HUTCH_OPF_OPTIONAL, error))
        return FALSE;
    }
  }
  return mount_system_dir(plan, overlay, "/opt", HUTCH_OPF_OPTIONAL, error);
}

static void
add_tmpfs(HutchPlan *plan, const char *path, guint mode)
{
  hutch_plan_tmpfs(plan, path, mode, WHY);
}

static void
add_symlink(HutchPlan *plan, const char *path, const char *target)
{
  HutchOp *op = hutch_plan_add_op(plan, HUTCH_OP_SYMLINK, NULL, path, WHY);
  op->data = g_string_chunk_insert(plan->strings, target);
}

/* Kernel knobs stay read-only even where the id map would let a write
 * through (a mapped root in the image case); bubblewrap does the same. */
static const char *const proc_readonly[] = {
    "/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs", NULL,
};

static void
plan_proc(HutchPlan *plan)
{
  hutch_plan_add_op(plan, HUTCH_OP_PROC, NULL, "/proc", WHY);
  /* The kernel mounts a new procfs (as a nested sandbox does) only where
   * the existing one has no locked submounts; the knobs stay unwritable
   * anyway, since they belong to the host's root. */
  if (hutch_policy_has(plan->policy, HUTCH_PERM_NESTED_SANDBOX)) {
    hutch_plan_note(plan, "nested-sandbox: /proc/sys and friends are not overmounted, so a "
                          "nested sandbox can mount its own /proc");
    return;
  }
  for (const char *const *p = proc_readonly; *p; p++) {
    /* The source is the sandbox's own fresh /proc, not the host's. */
    HutchOp *op = hutch_plan_add_op(plan, HUTCH_OP_BIND, NULL, *p, WHY);
    op->src = op->dest;
    op->show_src = op->show_dest;
    op->flags = HUTCH_OPF_RDONLY | HUTCH_OPF_OPTIONAL;
    if (g_str_equal(*p, "/proc/sysrq-trigger"))
      op->flags |= HUTCH_OPF_FILE;
  }
}

static const char *const dev_nodes[] = {
    "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty", NULL,
};

static gboolean
plan_dev(HutchPlan *plan, GError **error)
{
  add_tmpfs(plan, "/dev", 0755);
  for (const char *const *d = dev_nodes; *d; d++)
    if (!hutch_plan_bind(plan, *d, *d, HUTCH_OPF_DEVICES, WHY, error))
      return FALSE;
  hutch_plan_add_op(plan, HUTCH_OP_DEVPTS, NULL, "/dev/pts", WHY);
  add_symlink(plan, "/dev/ptmx", "pts/ptmx");
  add_tmpfs(plan, "/dev/shm", 01777);
  add_symlink(plan, "/dev/fd", "/proc/self/fd");
  add_symlink(plan, "/dev/stdin", "/proc/self/fd/0");
  add_symlink(plan, "/dev/stdout", "/proc/self/fd/1");
  add_symlink(plan, "/dev/stderr", "/proc/self/fd/2");
  /* A mqueue filesystem shows the IPC namespace of whoever mounts it: the
   * sandbox's own, or with ipc the host's, which only a bind can show. */
  if (!hutch_policy_has(plan->policy, HUTCH_PERM_IPC))
    hutch_plan_add_op(plan, HUTCH_OP_MQUEUE, NULL, "/dev/mqueue", WHY);
  else if (g_file_test("/dev/mqueue", G_FILE_TEST_IS_DIR) &&
           !hutch_plan_bind(plan, "/dev/mqueue", "/dev/mqueue", 0, "ipc", error))
    return FALSE;
  return TRUE;
}

static gboolean
image_has(const char *image_root, const char *path)
{
  g_autofree char *full = g_build_filename(image_root, path, NULL);
  struct stat st;
  return lstat(full, &st) == 0;
}

/* An image brings its own /var (with tmp and the run link); the host
 * rootfs gets an empty one in the new root. */
static void
plan_scratch(HutchPlan *plan, const char *image_root)
{
  add_tmpfs(plan, "/tmp", 01777);
  if (!image_root || !image_has(image_root, "var")) {
    HutchOp *op = hutch_plan_add_op(plan, HUTCH_OP_MKDIR, NULL, "/var", WHY);
    op->mode = 0755;
    add_tmpfs(plan, "/var/tmp", 01777);
    add_symlink(plan, "/var/run", "../run");
  } else if (image_has(image_root, "var/tmp")) {
    add_tmpfs(plan, "/var/tmp", 01777);
  }
  add_tmpfs(plan, "/run", 0755);
  add_tmpfs(plan, plan->sandbox_runtime_dir, 0700);
}

gboolean
hutch_rootfs_runtime(HutchPlan *plan, const char *image_root, GError **error)
{
  plan_proc(plan);
  if (!plan_dev(plan, error))
    return FALSE;
  plan_scratch(plan, image_root);
  return TRUE;
}

gboolean
hutch_rootfs_host_plan(HutchPlan *plan, GError **error)
{
  return hutch_rootfs_host_system(plan, NULL, error) && hutch_rootfs_host_etc(plan, error) &&
         hutch_rootfs_runtime(plan, NULL, error) && hutch_rootfs_host_etc_links(plan, error);
}

gboolean
hutch_rootfs_overlay_plan(HutchPlan *plan, GError **error)
{
  g_autoptr(GPtrArray) lowers = hutch_rootfs_host_system_dirs();
  g_autoptr(HutchOverlay) ov = hutch_overlay_prepare(plan, "the host", lowers, error);
  return ov && hutch_rootfs_host_system(plan, ov, error) && hutch_rootfs_host_etc(plan, error) &&
         hutch_rootfs_runtime(plan, NULL, error) && hutch_rootfs_host_etc_links(plan, error);
}
