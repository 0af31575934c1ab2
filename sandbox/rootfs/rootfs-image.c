/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* --image NAME: the sandbox's / is an image's tree (made by hutch create,
 * or any root filesystem at an absolute path), read-only, writable with
 * --rw-image, or under overlays with --rootfs overlay. /proc, /dev, /tmp,
 * /run and home are the sandbox's own, as with the host rootfs. */
#include "error.h"
#include "image.h"
#include "rootfs.h"
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <grp.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define WHY "image rootfs"

/* What the runtime step makes fresh, and what no app should see of it. */
static const char *const not_from_image[] = {
    "proc", "dev", "sys", "tmp", "run", "home", "lost+found", NULL,
};

/* Without subordinate ids every owner but the user shows as nobody inside,
 * and the image's own permissions stop meaning what they say. */
static gboolean
check_owners(HutchPlan *plan, const char *image, const char *rootfs, GError **error)
{
  if (plan->idmap.method != HUTCH_IDMAP_SINGLE)
    return TRUE;
  g_autofree char *first = NULL, *second = NULL;
  if (!hutch_image_has_several_owners(rootfs, &first, &second))
    return TRUE;
  struct passwd *pw = getpwuid(plan->uid);
  const char *user = pw ? pw->pw_name : "USER";
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "image %s has files of several owners (%s, %s, ...), which only subordinate ids "
              "can show as they are, and %s has none: add the line '%s:100000:65536' to "
              "/etc/subuid and to /etc/subgid (as root: usermod --add-subuids 100000-165535 "
              "--add-subgids 100000-165535 %s)%s",
              image, first, second, user, user, user,
              plan->idmap.newuidmap ? "" : " and install newuidmap (package uidmap)");
  return FALSE;
}

/* A shared lock on the stored image while the sandbox runs: hutch destroy
 * takes it exclusively, so it refuses while any sandbox uses the image. */
static gboolean
claim_image(HutchPlan *plan, const char *image, const char *store_dir, GError **error)
{
  if (plan->policy->dry_run)
    return TRUE;
  if (store_dir) {
    int fd = open(store_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || flock(fd, LOCK_SH | LOCK_NB) < 0) {
      int e = errno;
      if (fd >= 0)
        close(fd);
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "image %s: %s", image,
                  e == EWOULDBLOCK ? "it is being destroyed" : g_strerror(e));
      return FALSE;
    }
    hutch_plan_hold_fd(plan, "image lock", fd);
  }
  /* The marker names the image for hutch destroy's message; its lock
   * tells a running sandbox from one that was killed before cleaning up. */
  g_autofree char *marker = g_build_filename(plan->runtime_dir, HUTCH_IMAGE_MARKER, NULL);
  g_autofree char *text = g_strconcat(image, "\n", NULL);
  if (!g_file_set_contents(marker, text, -1, error))
    return FALSE;
  int fd = open(marker, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || flock(fd, LOCK_SH) < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot lock %s: %s", marker,
                g_strerror(errno));
    if (fd >= 0)
      close(fd);
    return FALSE;
  }
  hutch_plan_hold_fd(plan, "image marker lock", fd);
  return TRUE;
}

typedef struct {
  char *name;
  char *link; /* symlink target, NULL for a directory */
} Entry;

static void
entry_free(gpointer p)
{
  Entry *e = p;
  g_free(e->name);
  g_free(e->link);
  g_free(e);
}

static gint
entry_cmp(gconstpointer a, gconstpointer b)
{
  return strcmp((*(Entry *const *)a)->name, (*(Entry *const *)b)->name);
}

/* The image's top-level directories and symlinks, sorted; other entries
 * (a stray file left by a container export) are not part of a root. */
static GPtrArray *
top_level(const char *rootfs, GError **error)
{
  g_autoptr(GDir) dir = g_dir_open(rootfs, 0, error);
  if (!dir)
    return NULL;
  GPtrArray *entries = g_ptr_array_new_with_free_func(entry_free);
  const char *name;
  while ((name = g_dir_read_name(dir))) {
    if (g_strv_contains(not_from_image, name))
      continue;
    g_autofree char *path = g_build_filename(rootfs, name, NULL);
    struct stat st;
    if (lstat(path, &st) < 0 || !(S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode)))
      continue;
    Entry *e = g_new0(Entry, 1);
    e->name = g_strdup(name);
    if (S_ISLNK(st.st_mode) && !(e->link = g_file_read_link(path, NULL))) {
      entry_free(e);
      continue;
    }
    g_ptr_array_add(entries, e);
  }
  g_ptr_array_sort(entries, entry_cmp);
  return entries;
}

static gboolean
mount_entries(HutchPlan *plan, const char *rootfs, GPtrArray *entries, HutchOverlay *overlay,
              GError **error)
{
  guint flags = plan->policy->rw_image ? 0 : HUTCH_OPF_RDONLY;
  for (guint i = 0; i < entries->len; i++) {
    const Entry *e = entries->pdata[i];
    g_autofree char *host = g_build_filename(rootfs, e->name, NULL);
    g_autofree char *inside = g_strconcat("/", e->name, NULL);
    if (e->link) {
      HutchOp *op = hutch_plan_add_op(plan, HUTCH_OP_SYMLINK, NULL, inside, WHY);
      op->data = g_string_chunk_insert(plan->strings, e->link);
    } else if (overlay) {
      if (!hutch_overlay_mount(overlay, host, inside, error))
        return FALSE;
    } else if (!hutch_plan_bind(plan, host, inside, flags, WHY, error)) {
      return FALSE;
    }
  }
  return TRUE;
}

static gboolean
has_id(const char *db, guint id)
{
  g_auto(GStrv) lines = g_strsplit(db, "\n", -1);
  g_autofree char *want = g_strdup_printf("%u", id);
  for (char **l = lines; *l; l++) {
    g_auto(GStrv) f = g_strsplit(*l, ":", 4);
    if (g_strv_length(f) >= 3 && g_str_equal(f[2], want))
      return TRUE;
  }
  return FALSE;
}

static char *
passwd_line(HutchPlan *plan, const char *rootfs)
{
  struct passwd *pw = getpwuid(plan->uid);
  const char *shell = pw && pw->pw_shell ? pw->pw_shell : "/bin/sh";
  return g_strdup_printf("%s:x:%u:%u:%s:%s:%s\n", pw ? pw->pw_name : "user", (unsigned)plan->uid,
                         (unsigned)plan->gid, pw && pw->pw_gecos ? pw->pw_gecos : "", plan->home,
                         hutch_image_has_file(rootfs, shell) ? shell : "/bin/sh");
}

static char *
group_line(HutchPlan *plan, const char *rootfs)
{
  struct group *gr = getgrgid(plan->gid);
  return g_strdup_printf("%s:x:%u:\n", gr ? gr->gr_name : "user", (unsigned)plan->gid);
}

/* The image's passwd or group file with the user's own entry added, so
 * `id`, shells and libraries that look the user up find a name and home. */
static gboolean
add_identity_file(HutchPlan *plan, const char *rootfs, const char *file, guint id,
                  char *(*line)(HutchPlan *, const char *), GError **error)
{
  g_autofree char *path = g_build_filename("/etc", file, NULL);
  GError *local = NULL;
  g_autofree char *db = hutch_image_read(rootfs, path + 1, &local);
  if (local) {
    g_propagate_error(error, local);
    return FALSE;
  }
  if (!db || has_id(db, id))
    return TRUE;
  g_autofree char *extra = line(plan, rootfs);
  if (!plan->runtime_dir) { /* dry run: nothing is written on the host */
    HutchOp *op = hutch_plan_add_op(plan, HUTCH_OP_BIND, "/(generated)", path, WHY);
    op->flags = HUTCH_OPF_RDONLY | HUTCH_OPF_FILE;
    return TRUE;
  }
  g_autofree char *out = g_build_filename(plan->runtime_dir, file, NULL);
  g_autofree char *text =
      g_strconcat(db, *db && !g_str_has_suffix(db, "\n") ? "\n" : "", extra, NULL);
  if (!g_file_set_contents_full(out, text, -1, G_FILE_SET_CONTENTS_NONE, 0644, error))
    return FALSE;
  return hutch_plan_bind(plan, out, path, HUTCH_OPF_RDONLY, WHY, error);
}

/* With the host's network the host's resolver configuration applies. */
static gboolean
plan_resolv_conf(HutchPlan *plan, const char *rootfs, GError **error)
{
  if (plan->policy->net != HUTCH_NET_HOST)
    return TRUE;
  g_autofree char *in_image = g_build_filename(rootfs, "etc/resolv.conf", NULL);
  struct stat st;
  if (lstat(in_image, &st) < 0 || !S_ISREG(st.st_mode))
    return TRUE;
  return hutch_plan_bind(plan, "/etc/resolv.conf", "/etc/resolv.conf",
                         HUTCH_OPF_RDONLY | HUTCH_OPF_OPTIONAL, WHY, error);
}

static void
note_image(HutchPlan *plan, const char *image, const char *rootfs)
{
  const HutchPolicy *policy = plan->policy;
  g_autofree char *distro = hutch_image_distro(rootfs);
  hutch_plan_note(plan, "image %s (%s) at %s, %s", image, distro ? distro : "unknown distribution",
                  rootfs,
                  policy->rootfs == HUTCH_ROOTFS_OVERLAY ? "overlaid"
                  : policy->rw_image                     ? "writable: changes are kept"
                                                         : "read-only");
}

gboolean
hutch_rootfs_image_plan(HutchPlan *plan, GError **error)
{
  const char *image = plan->policy->image;
  g_autofree char *store_dir = NULL;
  g_autofree char *rootfs = hutch_image_resolve(image, &store_dir, error);
  if (!rootfs || !check_owners(plan, image, rootfs, error) ||
      !claim_image(plan, image, store_dir, error))
    return FALSE;
  g_autoptr(GPtrArray) entries = top_level(rootfs, error);
  if (!entries)
    return FALSE;
  g_autoptr(HutchOverlay) overlay = NULL;
  if (plan->policy->rootfs == HUTCH_ROOTFS_OVERLAY) {
    g_autoptr(GPtrArray) lowers = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < entries->len; i++) {
      const Entry *e = entries->pdata[i];
      if (!e->link)
        g_ptr_array_add(lowers, g_build_filename(rootfs, e->name, NULL));
    }
    g_autofree char *lower_id = g_strdup_printf("image %s", image);
    overlay = hutch_overlay_prepare(plan, lower_id, lowers, error);
    if (!overlay)
      return FALSE;
  }
  note_image(plan, image, rootfs);
  return mount_entries(plan, rootfs, entries, overlay, error) &&
         add_identity_file(plan, rootfs, "passwd", plan->uid, passwd_line, error) &&
         add_identity_file(plan, rootfs, "group", plan->gid, group_line, error) &&
         plan_resolv_conf(plan, rootfs, error) && hutch_rootfs_runtime(plan, rootfs, error);
}
