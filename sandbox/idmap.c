#include "idmap.h"
#include "subid.h"
#include "error.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef HutchSubRange SubRange;

GArray *
hutch_subid_ranges(const char *file, const char *user, guint32 id)
{
  GArray *ranges = g_array_new(FALSE, FALSE, sizeof(SubRange));
  g_autofree char *contents = NULL;
  if (!g_file_get_contents(file, &contents, NULL, NULL))
    return ranges;
  g_autofree char *id_str = g_strdup_printf("%u", id);
  g_auto(GStrv) lines = g_strsplit(contents, "\n", -1);
  for (char **l = lines; *l; l++) {
    g_auto(GStrv) f = g_strsplit(g_strstrip(*l), ":", 3);
    if (g_strv_length(f) != 3 || f[0][0] == '#')
      continue;
    if (!(g_str_equal(f[0], id_str) || (user && g_str_equal(f[0], user))))
      continue;
    char *end1, *end2;
    errno = 0;
    guint64 start = g_ascii_strtoull(f[1], &end1, 10);
    guint64 count = g_ascii_strtoull(f[2], &end2, 10);
    if (errno || *end1 || *end2 || count == 0 || start + count > G_MAXUINT32)
      continue;
    SubRange r = {(guint32)start, (guint32)count};
    g_array_append_val(ranges, r);
  }
  return ranges;
}

static void
add_range(GArray *out, guint32 inside, guint32 outside, guint32 count)
{
  HutchIdRange r = {inside, outside, count};
  if (count)
    g_array_append_val(out, r);
}

/* LXC's layout for GUI containers: inside ids 0.. come from the subordinate
 * ranges, except the caller's own id, which maps to itself so that files,
 * X11 and PulseAudio credentials stay the caller's. */
static void
layout_ranges(GArray *out, GArray *subs, guint32 own)
{
  guint32 inside = 0;
  for (guint i = 0; i < subs->len; i++) {
    SubRange r = g_array_index(subs, SubRange, i);
    guint32 outside = r.start;
    guint32 left = r.count;
    if (inside <= own && own < inside + left) {
      guint32 before = own - inside;
      add_range(out, inside, outside, before);
      inside = own + 1;
      outside += before;
      left -= before;
    }
    add_range(out, inside, outside, left);
    inside += left;
    if (inside > G_MAXUINT32 - 65536)
      break;
  }
  add_range(out, own, own, 1);
}

static char *
find_helper(const char *name)
{
  const char *dirs[] = {"/usr/bin", "/usr/sbin", "/bin", "/usr/local/bin", NULL};
  for (const char **d = dirs; *d; d++) {
    char *p = g_build_filename(*d, name, NULL);
    if (access(p, X_OK) == 0)
      return p;
    g_free(p);
  }
  return NULL;
}

void
hutch_idmap_plan(HutchIdMap *map, uid_t uid, gid_t gid, const char *user)
{
  memset(map, 0, sizeof(*map));
  map->uid_ranges = g_array_new(FALSE, FALSE, sizeof(HutchIdRange));
  map->gid_ranges = g_array_new(FALSE, FALSE, sizeof(HutchIdRange));
  const char *usource, *gsource;
  g_autoptr(GArray) subu = hutch_subid_lookup(FALSE, user, uid, &usource);
  g_autoptr(GArray) subg = hutch_subid_lookup(TRUE, user, uid, &gsource);
  map->newuidmap = find_helper("newuidmap");
  map->newgidmap = find_helper("newgidmap");

  if (subu->len && subg->len && map->newuidmap && map->newgidmap) {
    map->method = HUTCH_IDMAP_SUBORDINATE;
    layout_ranges(map->uid_ranges, subu, uid);
    layout_ranges(map->gid_ranges, subg, gid);
    map->why = g_str_equal(usource, gsource)
                   ? g_strdup_printf("subordinate ranges from %s", usource)
                   : g_strdup_printf("subordinate ranges from %s and %s", usource, gsource);
    return;
  }
  map->method = HUTCH_IDMAP_SINGLE;
  add_range(map->uid_ranges, uid, uid, 1);
  add_range(map->gid_ranges, gid, gid, 1);
  if (!subu->len || !subg->len)
    map->why = g_strdup_printf("no subordinate range for %s in /etc/subuid or /etc/subgid; "
                               "only your own ids are mapped",
                               user ? user : "you");
  else
    map->why = g_strdup("newuidmap/newgidmap not found (install the uidmap package); "
                        "only your own ids are mapped");
}

void
hutch_idmap_clear(HutchIdMap *map)
{
  g_clear_pointer(&map->uid_ranges, g_array_unref);
  g_clear_pointer(&map->gid_ranges, g_array_unref);
  g_clear_pointer(&map->newuidmap, g_free);
  g_clear_pointer(&map->newgidmap, g_free);
  g_clear_pointer(&map->why, g_free);
}

/* A running newuidmap or newgidmap, with its stderr kept for the error. */
typedef struct {
  const char *helper;
  GPid pid;
  int err_fd;
} MapHelper;

static gboolean
spawn_map_helper(MapHelper *h, const char *helper, pid_t pid, GArray *ranges, GError **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(argv, g_strdup(helper));
  g_ptr_array_add(argv, g_strdup_printf("%d", pid));
  for (guint i = 0; i < ranges->len; i++) {
    HutchIdRange r = g_array_index(ranges, HutchIdRange, i);
    g_ptr_array_add(argv, g_strdup_printf("%u", r.inside));
    g_ptr_array_add(argv, g_strdup_printf("%u", r.outside));
    g_ptr_array_add(argv, g_strdup_printf("%u", r.count));
  }
  g_ptr_array_add(argv, NULL);
  h->helper = helper;
  h->err_fd = -1;
  g_autoptr(GError) local = NULL;
  if (!g_spawn_async_with_pipes(NULL, (char **)argv->pdata, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                                &h->pid, NULL, NULL, &h->err_fd, &local)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot run %s: %s", helper, local->message);
    return FALSE;
  }
  return TRUE;
}

static gboolean
finish_map_helper(MapHelper *h, GError **error)
{
  if (h->err_fd < 0)
    return TRUE;
  char buf[512];
  gsize len = 0;
  ssize_t n;
  while ((n = read(h->err_fd, buf + len, sizeof(buf) - 1 - len)) > 0 || (n < 0 && errno == EINTR))
    len += n > 0 ? (gsize)n : 0;
  buf[len] = '\0';
  close(h->err_fd);
  h->err_fd = -1;
  int status = 0;
  while (waitpid(h->pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (g_spawn_check_wait_status(status, NULL))
    return TRUE;
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "%s failed: %s (check /etc/subuid and /etc/subgid, and that %s is setuid root)",
              h->helper, len ? g_strstrip(buf) : "no message", h->helper);
  return FALSE;
}

/* The two setuid helpers cost about as much as the rest of the launch, so
 * they run side by side. */
static gboolean
run_map_helpers(const HutchIdMap *map, pid_t pid, GError **error)
{
  MapHelper uid = {.err_fd = -1}, gid = {.err_fd = -1};
  gboolean ok = spawn_map_helper(&uid, map->newuidmap, pid, map->uid_ranges, error) &&
                spawn_map_helper(&gid, map->newgidmap, pid, map->gid_ranges, error);
  /* Always reap both, reporting the first failure. */
  ok = finish_map_helper(&uid, ok ? error : NULL) && ok;
  ok = finish_map_helper(&gid, ok ? error : NULL) && ok;
  return ok;
}

static gboolean
write_proc_file(pid_t pid, const char *name, const char *text, GError **error)
{
  g_autofree char *path = g_strdup_printf("/proc/%d/%s", pid, name);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
    int e = errno;
    if (fd >= 0)
      close(fd);
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot write %s: %s", path, g_strerror(e));
    return FALSE;
  }
  close(fd);
  return TRUE;
}

static char *
ranges_text(GArray *ranges)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < ranges->len; i++) {
    HutchIdRange r = g_array_index(ranges, HutchIdRange, i);
    g_string_append_printf(s, "%u %u %u\n", r.inside, r.outside, r.count);
  }
  return g_string_free(s, FALSE);
}

gboolean
hutch_idmap_apply(const HutchIdMap *map, pid_t pid, GError **error)
{
  if (map->method == HUTCH_IDMAP_SUBORDINATE)
    return run_map_helpers(map, pid, error);

  g_autofree char *uids = ranges_text(map->uid_ranges);
  g_autofree char *gids = ranges_text(map->gid_ranges);
  /* An unprivileged single-id gid map is only accepted once setgroups is
   * denied, so the app can never drop a group that was denying it access. */
  return write_proc_file(pid, "setgroups", "deny", error) &&
         write_proc_file(pid, "uid_map", uids, error) &&
         write_proc_file(pid, "gid_map", gids, error);
}

static void
describe_ranges(GString *out, const char *what, GArray *ranges)
{
  for (guint i = 0; i < ranges->len; i++) {
    HutchIdRange r = g_array_index(ranges, HutchIdRange, i);
    g_string_append_printf(out, "idmap  %s %u -> %u (count %u)\n", what, r.inside, r.outside,
                           r.count);
  }
}

void
hutch_idmap_describe(const HutchIdMap *map, GString *out)
{
  g_string_append_printf(out, "idmap  method %s: %s\n",
                         map->method == HUTCH_IDMAP_SUBORDINATE ? "newuidmap" : "single", map->why);
  describe_ranges(out, "uid", map->uid_ranges);
  describe_ranges(out, "gid", map->gid_ranges);
}
