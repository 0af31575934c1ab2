/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Whether the kernel mounts a given overlay for this user: tried for real
 * in a throwaway user and mount namespace, since what overlayfs accepts
 * depends on the kernel version, its configuration and the filesystems of
 * every layer. Also the fuse-overlayfs fallback and the words for errors. */
#include "error.h"
#include "idmap.h"
#include "overlay.h"
#include "state.h"
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
  int index;
  int err;
} ProbeResult;

typedef struct {
  char *scratch;     /* host dir the probe's tmpfs is mounted on */
  GPtrArray *mkdirs; /* made inside the tmpfs, in order */
  GPtrArray *targets;
  GPtrArray *options;
} Probe;

static void
probe_clear(Probe *p)
{
  if (p->scratch) {
    rmdir(p->scratch);
    g_free(p->scratch);
  }
  g_clear_pointer(&p->mkdirs, g_ptr_array_unref);
  g_clear_pointer(&p->targets, g_ptr_array_unref);
  g_clear_pointer(&p->options, g_ptr_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Probe, probe_clear)

static G_GNUC_NORETURN void
report(int fd, int index, int err)
{
  ProbeResult r = {index, err};
  ssize_t n G_GNUC_UNUSED = write(fd, &r, sizeof(r));
  _exit(err ? 1 : 0);
}

/* Forked child: syscalls over the strings the parent prepared. */
static G_GNUC_NORETURN void
probe_child(const Probe *p, int fd)
{
  int err = hutch_idmap_unshare_self();
  if (err)
    report(fd, -1, err);
  if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
    report(fd, -1, errno);
  if (mount("tmpfs", p->scratch, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
    report(fd, -1, errno);
  for (guint i = 0; i < p->mkdirs->len; i++)
    if (mkdir(p->mkdirs->pdata[i], 0755) < 0)
      report(fd, -1, errno);
  for (guint i = 0; i < p->targets->len; i++)
    if (mount("overlay", p->targets->pdata[i], "overlay", MS_NOSUID | MS_NODEV,
              p->options->pdata[i]) < 0)
      report(fd, (int)i, errno);
  report(fd, 0, 0);
}

static gboolean
probe_build(Probe *p, GPtrArray *lowers, GPtrArray *uppers, GPtrArray *works)
{
  /* Tagged with this process: should it be killed during the probe, the
   * next hutch command removes the directory (state.h). */
  p->scratch = hutch_state_scratch_dir("overlay-probe", NULL);
  if (!p->scratch)
    return FALSE;
  p->mkdirs = g_ptr_array_new_with_free_func(g_free);
  p->targets = g_ptr_array_new_with_free_func(g_free);
  p->options = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < lowers->len; i++) {
    const char *upper = uppers ? uppers->pdata[i] : NULL;
    const char *work = works ? works->pdata[i] : NULL;
    g_autofree char *u = upper ? g_strdup(upper) : g_strdup_printf("%s/u%u", p->scratch, i);
    g_autofree char *w = work ? g_strdup(work) : g_strdup_printf("%s/w%u", p->scratch, i);
    if (!upper) {
      g_ptr_array_add(p->mkdirs, g_strdup(u));
      g_ptr_array_add(p->mkdirs, g_strdup(w));
    }
    char *target = g_strdup_printf("%s/m%u", p->scratch, i);
    g_ptr_array_add(p->mkdirs, g_strdup(target));
    g_ptr_array_add(p->targets, target);
    g_ptr_array_add(p->options, g_strdup_printf("lowerdir=%s,upperdir=%s,workdir=%s,userxattr",
                                                (char *)lowers->pdata[i], u, w));
  }
  return TRUE;
}

int
hutch_overlay_try_kernel(GPtrArray *lowers, GPtrArray *uppers, GPtrArray *works, int *failed)
{
  g_auto(Probe) p = {0};
  *failed = -1;
  if (!probe_build(&p, lowers, uppers, works))
    return errno ? errno : EACCES;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0)
    return errno;
  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    close(fds[0]);
    close(fds[1]);
    return e;
  }
  if (pid == 0) {
    close(fds[0]);
    probe_child(&p, fds[1]);
  }
  close(fds[1]);
  ProbeResult r = {-1, EIO};
  ssize_t n;
  do
    n = read(fds[0], &r, sizeof(r));
  while (n < 0 && errno == EINTR);
  close(fds[0]);
  while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
    ;
  if (n != (ssize_t)sizeof(r))
    r = (ProbeResult){-1, EIO};
  *failed = r.index;
  return r.err;
}

char *
hutch_overlay_find_fuse(char **why)
{
  const char *dirs[] = {"/usr/bin", "/bin", "/usr/local/bin", "/usr/sbin", NULL};
  g_autofree char *path = NULL;
  for (const char **d = dirs; *d && !path; d++) {
    g_autofree char *p = g_build_filename(*d, "fuse-overlayfs", NULL);
    if (access(p, X_OK) == 0)
      path = g_steal_pointer(&p);
  }
  if (!path) {
    *why = g_strdup("fuse-overlayfs is not installed (apt install fuse-overlayfs)");
    return NULL;
  }
  if (access("/dev/fuse", R_OK | W_OK) < 0) {
    *why = g_strdup_printf("/dev/fuse is not usable: %s (modprobe fuse; it must be mode 0666)",
                           g_strerror(errno));
    return NULL;
  }
  return g_steal_pointer(&path);
}

const char *
hutch_overlay_errno_hint(int err)
{
  switch (err) {
  case EINVAL:
    return "overlayfs refuses these layers: an upper layer on overlayfs, FUSE or a network "
           "filesystem, or a filesystem without user extended attributes";
  case ELOOP:
    return "the layers overlap: an upper or work directory lies inside a lower one, or the "
           "reverse";
  case EPERM:
    return "this kernel does not let overlayfs be mounted in a user namespace (Linux 5.11 or "
           "later does)";
  case ENODEV:
    return "this kernel has no overlayfs (modprobe overlay)";
  case EBUSY:
    return "an upper or work directory is in use by another overlay";
  case EOPNOTSUPP:
    return "the upper layer's filesystem lacks what overlayfs needs (user extended "
           "attributes, d_type)";
  case ENOENT:
    return "a layer directory is missing";
  default:
    return "overlayfs refused to mount";
  }
}

gboolean
hutch_overlay_probe(char **method, GError **error)
{
  g_autoptr(GPtrArray) lowers = g_ptr_array_new();
  g_ptr_array_add(lowers, "/usr");
  int failed;
  int err = hutch_overlay_try_kernel(lowers, NULL, NULL, &failed);
  if (!err) {
    *method = g_strdup("kernel overlayfs (userxattr)");
    return TRUE;
  }
  g_autofree char *kernel_why =
      failed < 0 ? g_strdup_printf("cannot make a user namespace to try it: %s", g_strerror(err))
                 : g_strdup_printf("%s: %s", g_strerror(err), hutch_overlay_errno_hint(err));
  g_autofree char *fuse_why = NULL;
  g_autofree char *fuse = hutch_overlay_find_fuse(&fuse_why);
  if (fuse) {
    *method =
        g_strdup_printf("fuse-overlayfs %s (the kernel's overlayfs refused: %s)", fuse, kernel_why);
    return TRUE;
  }
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "no overlay support: the kernel's overlayfs refused (%s) and %s", kernel_why,
              fuse_why);
  return FALSE;
}
