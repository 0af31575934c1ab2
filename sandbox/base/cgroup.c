/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "cgroup.h"
#include "error.h"
#include "print.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
  const char *name;
  HutchCgroupController bit;
} controller_names[] = {
    {"memory", HUTCH_CG_MEMORY},
    {"pids", HUTCH_CG_PIDS},
    {"cpu", HUTCH_CG_CPU},
};

char *
hutch_cgroup_controllers_string(guint controllers)
{
  g_autoptr(GString) s = g_string_new(NULL);
  for (gsize i = 0; i < G_N_ELEMENTS(controller_names); i++)
    if (controllers & controller_names[i].bit)
      g_string_append_printf(s, "%s%s", s->len ? ", " : "", controller_names[i].name);
  return s->len ? g_string_free(g_steal_pointer(&s), FALSE) : g_strdup("no controllers");
}

static char *
read_file(const char *dir, const char *file)
{
  g_autofree char *path = g_build_filename(dir, file, NULL);
  char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, NULL))
    return NULL;
  return text;
}

/* The caller's cgroup v2 path, from the "0::" line of /proc/self/cgroup. */
static char *
own_cgroup_path(void)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents("/proc/self/cgroup", &text, NULL, NULL))
    return NULL;
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (char **l = lines; *l; l++)
    if (g_str_has_prefix(*l, "0::"))
      return g_strdup(*l + 3);
  return NULL;
}

/* The directory of cgroup PATH on a mounted cgroup2 hierarchy; mountinfo
 * gives each mount's root within the hierarchy and its mount point. */
static char *
cgroup_dir_for(const char *path, char **mount_out)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents("/proc/self/mountinfo", &text, NULL, NULL))
    return NULL;
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (char **l = lines; *l; l++) {
    const char *sep = strstr(*l, " - ");
    if (!sep || !g_str_has_prefix(sep + 3, "cgroup2 "))
      continue;
    g_auto(GStrv) f = g_strsplit(*l, " ", 6);
    if (g_strv_length(f) < 6)
      continue;
    g_autofree char *root = g_strcompress(f[3]);
    g_autofree char *mnt = g_strcompress(f[4]);
    gsize rlen = g_str_equal(root, "/") ? 0 : strlen(root);
    if (strncmp(path, root, rlen) != 0 || (path[rlen] != '/' && path[rlen] != '\0'))
      continue;
    *mount_out = g_strdup(mnt);
    return g_build_filename(mnt, path + rlen, NULL);
  }
  return NULL;
}

/* Ours to create children in and to move processes between them. */
static gboolean
delegated(const char *dir)
{
  struct stat st;
  g_autofree char *procs = g_build_filename(dir, "cgroup.procs", NULL);
  return stat(dir, &st) == 0 && st.st_uid == getuid() && access(dir, W_OK) == 0 &&
         access(procs, W_OK) == 0;
}

static guint
enabled_controllers(const char *dir)
{
  g_autofree char *text = read_file(dir, "cgroup.subtree_control");
  guint bits = 0;
  g_auto(GStrv) words = g_strsplit_set(text ? text : "", " \n", -1);
  for (char **w = words; *w; w++)
    for (gsize i = 0; i < G_N_ELEMENTS(controller_names); i++)
      if (g_str_equal(*w, controller_names[i].name))
        bits |= controller_names[i].bit;
  return bits;
}

void
hutch_cgroup_find_base(HutchCgroupBase *base)
{
  memset(base, 0, sizeof(*base));
  g_autofree char *path = own_cgroup_path();
  g_autofree char *mount = NULL;
  g_autofree char *dir = path ? cgroup_dir_for(path, &mount) : NULL;
  if (!path) {
    base->why = g_strdup("this process is in no cgroup v2 hierarchy (/proc/self/cgroup has no "
                         "0:: line)");
    return;
  }
  if (!dir) {
    base->why = g_strdup_printf("your cgroup %s is on no mounted cgroup2 hierarchy", path);
    return;
  }
  if (!delegated(dir)) {
    /* Advice for the init system this host runs. */
    gboolean systemd = g_file_test("/run/systemd/system", G_FILE_TEST_IS_DIR);
    base->why = g_strdup_printf(
        "your cgroup %s is not delegated to you (not yours to write); %s", dir,
        systemd ? "start hutch in a delegated scope, e.g. 'systemd-run --user --scope -p "
                  "Delegate=yes hutch run ...'"
                : "this host does not run systemd: a delegated cgroup is one your session "
                  "manager or administrator makes yours (chown of a cgroup v2 directory)");
    return;
  }
  /* Climb while the user owns the cgroups; the best is the one whose
   * children get the most controllers, the nearest when tied. */
  g_autofree char *best = g_strdup(dir);
  guint best_bits = enabled_controllers(dir);
  g_autofree char *cur = g_path_get_dirname(dir);
  while (strlen(cur) > strlen(mount) && delegated(cur)) {
    guint bits = enabled_controllers(cur);
    if (__builtin_popcount(bits) > __builtin_popcount(best_bits)) {
      g_free(best);
      best = g_strdup(cur);
      best_bits = bits;
    }
    char *up = g_path_get_dirname(cur);
    g_free(cur);
    cur = up;
  }
  base->parent = g_steal_pointer(&best);
  base->controllers = best_bits;
}

void
hutch_cgroup_base_clear(HutchCgroupBase *base)
{
  g_clear_pointer(&base->parent, g_free);
  g_clear_pointer(&base->why, g_free);
}

gboolean
hutch_cgroup_create(const char *dir, GError **error)
{
  if (mkdir(dir, 0755) == 0)
    return TRUE;
  if (errno == EEXIST) {
    hutch_cgroup_remove(dir, NULL);
    if (mkdir(dir, 0755) == 0)
      return TRUE;
  }
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot create the cgroup %s: %s", dir,
              g_strerror(errno));
  return FALSE;
}

gboolean
hutch_cgroup_write(const char *dir, const char *file, const char *value, GError **error)
{
  g_autofree char *path = g_build_filename(dir, file, NULL);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  gssize n = -1;
  if (fd >= 0) {
    n = write(fd, value, strlen(value));
    int saved = errno;
    close(fd);
    errno = saved;
  }
  if (n < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot write '%s' to %s: %s", value, path,
                g_strerror(errno));
    return FALSE;
  }
  return TRUE;
}

static gboolean
events_say(const char *dir, const char *line)
{
  g_autofree char *text = read_file(dir, "cgroup.events");
  if (!text)
    return FALSE;
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (char **l = lines; *l; l++)
    if (g_str_equal(*l, line))
      return TRUE;
  return FALSE;
}

gboolean
hutch_cgroup_is_frozen(const char *dir)
{
  return events_say(dir, "frozen 1");
}

gboolean
hutch_cgroup_set_frozen(const char *dir, gboolean frozen, GError **error)
{
  if (!hutch_cgroup_write(dir, "cgroup.freeze", frozen ? "1" : "0", error))
    return FALSE;
  for (int i = 0; i < 500; i++) {
    if (hutch_cgroup_is_frozen(dir) == frozen)
      return TRUE;
    g_usleep(10000);
  }
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "the cgroup %s did not %s within 5 seconds",
              dir, frozen ? "freeze" : "thaw");
  return FALSE;
}

gboolean
hutch_cgroup_usage(const char *dir, guint64 *cpu_usec, gint64 *memory_bytes)
{
  g_autofree char *stat = read_file(dir, "cpu.stat");
  if (!stat)
    return FALSE;
  const char *usage = strstr(stat, "usage_usec ");
  *cpu_usec = usage ? g_ascii_strtoull(usage + strlen("usage_usec "), NULL, 10) : 0;
  g_autofree char *mem = read_file(dir, "memory.current");
  *memory_bytes = mem ? (gint64)g_ascii_strtoull(mem, NULL, 10) : -1;
  return TRUE;
}

gboolean
hutch_cgroup_remove(const char *dir, GError **error)
{
  if (rmdir(dir) == 0 || errno == ENOENT)
    return TRUE;
  if (events_say(dir, "populated 0")) {
    /* No process in it or below: cgroups of its own inside keep it, and
     * waiting changes nothing. */
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "cannot remove the cgroup %s: %s (it holds cgroups of its own)", dir,
                g_strerror(EBUSY));
    return FALSE;
  }
  /* Processes still in it: the sandbox's pid namespace is dying, or a
   * process escaped its init. Kill them (cgroup.kill, Linux 5.14) and give
   * the kernel a moment to let them go. */
  hutch_cgroup_write(dir, "cgroup.freeze", "0", NULL);
  hutch_cgroup_write(dir, "cgroup.kill", "1", NULL);
  for (int i = 0; i < 200; i++) {
    if (rmdir(dir) == 0 || errno == ENOENT)
      return TRUE;
    g_usleep(10000);
  }
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot remove the cgroup %s: %s", dir,
              g_strerror(errno));
  return FALSE;
}

gboolean
hutch_cgroup_cleanup(const char *dir, GError **error)
{
  /* Only ever a sandbox cgroup, whatever the file says. */
  g_autofree char *base = g_path_get_basename(dir);
  if (g_path_is_absolute(dir) && g_str_has_prefix(base, "hutch-"))
    return hutch_cgroup_remove(dir, error);
  return TRUE;
}
