/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "idmap.h"
#include "subid.h"
#include "caps.h"
#include "error.h"
#include <linux/capability.h>
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

typedef HutchSubRange SubRange;

static void
add_range(GArray *out, guint32 inside, guint32 outside, guint32 count)
{
  HutchIdRange r = {inside, outside, count};
  if (count)
    g_array_append_val(out, r);
}

/* The kernel's limits on an id map: 340 lines, written at once in less
 * than a page (newuidmap writes "INSIDE OUTSIDE COUNT\n" lines). */
#define MAP_MAX_LINES 340
#define MAP_MAX_BYTES 4095

typedef struct {
  guint32 start;
  guint32 count;
  guint source; /* index of the subordinate range it comes from */
} Piece;

static gint
by_start(gconstpointer a, gconstpointer b)
{
  const SubRange *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start;
}

/* Add to PIECES what of R (source SOURCE) no earlier piece and not OWN
 * covers; USED (sorted) is what is taken. TRUE when something was. */
static gboolean
take_unused(GArray *pieces, GArray *used, SubRange r, guint source)
{
  guint64 next = r.start, end = (guint64)r.start + r.count;
  gboolean cut = FALSE;
  for (guint i = 0; i < used->len && next < end; i++) {
    SubRange u = g_array_index(used, SubRange, i);
    guint64 u_end = (guint64)u.start + u.count;
    if (u_end <= next || u.start >= end)
      continue;
    cut = TRUE;
    if (u.start > next) {
      Piece p = {(guint32)next, (guint32)(u.start - next), source};
      g_array_append_val(pieces, p);
    }
    next = MAX(next, u_end);
  }
  if (next < end) {
    Piece p = {(guint32)next, (guint32)(end - next), source};
    g_array_append_val(pieces, p);
  }
  SubRange whole = r;
  g_array_append_val(used, whole);
  g_array_sort(used, by_start);
  return cut;
}

/* The subordinate ranges as outside pieces, in order, each id once and
 * never the caller's own (which maps to itself): overlapping maps are
 * refused by the kernel, and so is every launch then. */
static GArray *
usable_pieces(GArray *subs, guint32 own, const char *what, const char *source, GPtrArray *notes)
{
  GArray *pieces = g_array_new(FALSE, FALSE, sizeof(Piece));
  g_autoptr(GArray) used = g_array_new(FALSE, FALSE, sizeof(SubRange));
  SubRange self = {own, 1};
  g_array_append_val(used, self);
  for (guint i = 0; i < subs->len; i++) {
    SubRange r = g_array_index(subs, SubRange, i);
    gboolean has_own = own >= r.start && (guint64)own < (guint64)r.start + r.count;
    if (take_unused(pieces, used, r, i) && notes)
      g_ptr_array_add(notes, has_own ? g_strdup_printf("%s: the range %u:%u contains your own "
                                                       "%s %u, which maps to itself; the range "
                                                       "is used without it",
                                                       source, r.start, r.count, what, own)
                                     : g_strdup_printf("%s: the range %u:%u overlaps an earlier "
                                                       "one; ids in both are used once",
                                                       source, r.start, r.count));
  }
  return pieces;
}

static guint
line_bytes(const HutchIdRange *r)
{
  return (guint)snprintf(NULL, 0, "%u %u %u\n", r->inside, r->outside, r->count);
}

static void
add_piece(GArray *out, GArray *sources, guint32 inside, guint32 outside, guint32 count, guint src)
{
  if (!count)
    return;
  add_range(out, inside, outside, count);
  g_array_append_val(sources, src);
}

/* LXC's layout for GUI containers: inside ids 0.. come from the subordinate
 * ranges, except the caller's own id, which maps to itself so that files,
 * X11 and PulseAudio credentials stay the caller's. Only as many lines as
 * the kernel's map holds are kept, and NOTES says so. */
void
hutch_idmap_layout(GArray *out, GArray *subs, guint32 own, const char *what, const char *source,
                   GPtrArray *notes)
{
  g_autoptr(GArray) pieces = usable_pieces(subs, own, what, source, notes);
  g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(HutchIdRange));
  g_autoptr(GArray) sources = g_array_new(FALSE, FALSE, sizeof(guint));
  guint32 inside = 0;
  for (guint i = 0; i < pieces->len; i++) {
    Piece p = g_array_index(pieces, Piece, i);
    guint32 outside = p.start;
    guint32 left = p.count;
    if (inside <= own && own < inside + left) {
      guint32 before = own - inside;
      add_piece(all, sources, inside, outside, before, p.source);
      inside = own + 1;
      outside += before;
      left -= before;
    }
    add_piece(all, sources, inside, outside, left, p.source);
    inside += left;
    if (inside > G_MAXUINT32 - 65536)
      break;
  }
  HutchIdRange self = {own, own, 1};
  guint bytes = line_bytes(&self), kept = 0;
  while (kept < all->len && kept + 1 < MAP_MAX_LINES &&
         bytes + line_bytes(&g_array_index(all, HutchIdRange, kept)) <= MAP_MAX_BYTES)
    bytes += line_bytes(&g_array_index(all, HutchIdRange, kept++));
  g_array_append_vals(out, all->data, kept);
  g_array_append_val(out, self);
  if (kept == all->len || !notes)
    return;
  /* Ranges whose every line made it. */
  guint first_cut = g_array_index(sources, guint, kept);
  g_ptr_array_add(notes,
                  g_strdup_printf("%s: hutch uses %u of your %u ranges: the kernel's id map "
                                  "holds %d lines of at most %d bytes",
                                  source, first_cut, subs->len, MAP_MAX_LINES, MAP_MAX_BYTES + 1));
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

static void
plan_fresh(HutchIdMap *map, uid_t uid, gid_t gid, const char *user)
{
  memset(map, 0, sizeof(*map));
  map->uid_ranges = g_array_new(FALSE, FALSE, sizeof(HutchIdRange));
  map->gid_ranges = g_array_new(FALSE, FALSE, sizeof(HutchIdRange));
  map->problems = g_ptr_array_new_with_free_func(g_free);
  map->notes = g_ptr_array_new_with_free_func(g_free);
  const char *usource, *gsource;
  g_autoptr(GArray) subu = hutch_subid_lookup(FALSE, user, uid, &usource, map->problems);
  g_autoptr(GArray) subg = hutch_subid_lookup(TRUE, user, uid, &gsource, map->problems);
  map->newuidmap = find_helper("newuidmap");
  map->newgidmap = find_helper("newgidmap");

  if (subu->len && subg->len && map->newuidmap && map->newgidmap) {
    map->method = HUTCH_IDMAP_SUBORDINATE;
    hutch_idmap_layout(map->uid_ranges, subu, uid, "uid", usource, map->notes);
    hutch_idmap_layout(map->gid_ranges, subg, gid, "gid", gsource, map->notes);
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

static GPtrArray *
copy_strings(const GPtrArray *from)
{
  GPtrArray *to = g_ptr_array_new_full(from->len, g_free);
  for (guint i = 0; i < from->len; i++)
    g_ptr_array_add(to, g_strdup(from->pdata[i]));
  return to;
}

static GArray *
copy_ranges(const GArray *from)
{
  GArray *to = g_array_sized_new(FALSE, FALSE, sizeof(HutchIdRange), from->len);
  return g_array_append_vals(to, from->data, from->len);
}

static void
idmap_copy(HutchIdMap *to, const HutchIdMap *from)
{
  *to = (HutchIdMap){
      .method = from->method,
      .uid_ranges = copy_ranges(from->uid_ranges),
      .gid_ranges = copy_ranges(from->gid_ranges),
      .newuidmap = g_strdup(from->newuidmap),
      .newgidmap = g_strdup(from->newgidmap),
      .why = g_strdup(from->why),
      .problems = copy_strings(from->problems),
      .notes = copy_strings(from->notes),
  };
}

/* The last map made, for the same question asked again soon: a launch asks
 * twice within a millisecond (to verify the id holder, then for its plan),
 * and each answer reads /etc/subuid, /etc/subgid and nsswitch.conf. The
 * answer is kept one second only: a question asked later (by any caller
 * that lives on) reads an edited /etc/subuid again. */
#define MEMO_USEC G_USEC_PER_SEC
static struct {
  gint64 made;
  uid_t uid;
  gid_t gid;
  char *user;
  char *subid; /* $HUTCH_SUBID, which chooses the source */
  HutchIdMap map;
} memo;

void
hutch_idmap_plan(HutchIdMap *map, uid_t uid, gid_t gid, const char *user)
{
  gint64 now = g_get_monotonic_time();
  const char *subid = g_getenv("HUTCH_SUBID");
  if (memo.made && now - memo.made < MEMO_USEC && memo.uid == uid && memo.gid == gid &&
      g_strcmp0(memo.user, user) == 0 && g_strcmp0(memo.subid, subid) == 0) {
    idmap_copy(map, &memo.map);
    return;
  }
  plan_fresh(map, uid, gid, user);
  hutch_idmap_clear(&memo.map);
  g_free(memo.user);
  g_free(memo.subid);
  memo.made = now;
  memo.uid = uid;
  memo.gid = gid;
  memo.user = g_strdup(user);
  memo.subid = g_strdup(subid);
  idmap_copy(&memo.map, map);
}

void
hutch_idmap_plan_single(HutchIdMap *map, uid_t uid, gid_t gid, const char *why)
{
  memset(map, 0, sizeof(*map));
  map->uid_ranges = g_array_new(FALSE, FALSE, sizeof(HutchIdRange));
  map->gid_ranges = g_array_new(FALSE, FALSE, sizeof(HutchIdRange));
  map->method = HUTCH_IDMAP_SINGLE;
  add_range(map->uid_ranges, uid, uid, 1);
  add_range(map->gid_ranges, gid, gid, 1);
  map->why = g_strdup(why);
}

void
hutch_idmap_clear(HutchIdMap *map)
{
  g_clear_pointer(&map->uid_ranges, g_array_unref);
  g_clear_pointer(&map->gid_ranges, g_array_unref);
  g_clear_pointer(&map->newuidmap, g_free);
  g_clear_pointer(&map->newgidmap, g_free);
  g_clear_pointer(&map->why, g_free);
  g_clear_pointer(&map->problems, g_ptr_array_unref);
  g_clear_pointer(&map->notes, g_ptr_array_unref);
}

void
hutch_idmap_use_holder(HutchIdMap *map, char *why)
{
  g_return_if_fail(map->method == HUTCH_IDMAP_SUBORDINATE);
  map->method = HUTCH_IDMAP_HOLDER;
  g_free(map->why);
  map->why = why;
}

/* A running newuidmap or newgidmap, with its stderr kept for the error. */
typedef struct {
  const char *helper;
  pid_t pid;
  int err_fd;
} MapHelper;

/* posix_spawn (a vfork underneath) rather than g_spawn: forking hutch's
 * address space for each helper cost about 0.5 ms a launch. The helper gets
 * /dev/null on stdin and stdout, a pipe on stderr and no other fd. */
static int
spawn_with_stderr_pipe(char **argv, pid_t *pid, int *err_fd)
{
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) < 0)
    return errno;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
  posix_spawn_file_actions_addclosefrom_np(&fa, 3);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  /* hutch blocks the signals it forwards; the helper must not inherit that. */
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  int err = posix_spawn(pid, argv[0], &fa, &attr, argv, environ);
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&fa);
  close(pipefd[1]);
  if (err) {
    close(pipefd[0]);
    return err;
  }
  *err_fd = pipefd[0];
  return 0;
}

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
  int err = spawn_with_stderr_pipe((char **)argv->pdata, &h->pid, &h->err_fd);
  if (err) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot run %s: %s", helper, g_strerror(err));
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

typedef struct {
  const HutchIdMap *map;
  pid_t pid;
  MapHelper helper;
  GError *error;
  gboolean ok;
} GidSpawn;

static gpointer
spawn_gid_helper(gpointer data)
{
  GidSpawn *g = data;
  g->ok = spawn_map_helper(&g->helper, g->map->newgidmap, g->pid, g->map->gid_ranges, &g->error);
  return NULL;
}

/* The two setuid helpers cost about as much as the rest of the launch, so
 * they run side by side; even starting them is spread over two threads,
 * because posix_spawn returns only once the kernel has executed the
 * setuid binary, about 0.5 ms each. */
static gboolean
run_map_helpers(const HutchIdMap *map, pid_t pid, GError **error)
{
  MapHelper uid = {.err_fd = -1};
  GidSpawn gid = {.map = map, .pid = pid, .helper = {.err_fd = -1}};
  GThread *thread = g_thread_try_new("newgidmap", spawn_gid_helper, &gid, NULL);
  if (!thread)
    spawn_gid_helper(&gid);
  gboolean ok = spawn_map_helper(&uid, map->newuidmap, pid, map->uid_ranges, error);
  if (thread)
    g_thread_join(thread);
  if (ok && !gid.ok)
    g_propagate_error(error, g_steal_pointer(&gid.error));
  g_clear_error(&gid.error);
  ok = ok && gid.ok;
  /* Always reap both, reporting the first failure. */
  ok = finish_map_helper(&uid, ok ? error : NULL) && ok;
  ok = finish_map_helper(&gid.helper, ok ? error : NULL) && ok;
  return ok;
}

/* Async-signal-safe helpers for hutch_idmap_write_single: forked children
 * call it, so nothing here allocates or takes a lock. */
static char *
append_str(char *p, const char *end, const char *s)
{
  while (*s && p < end)
    *p++ = *s++;
  return p;
}

static char *
append_uint(char *p, const char *end, unsigned v)
{
  char digits[12];
  int n = 0;
  do
    digits[n++] = (char)('0' + v % 10);
  while ((v /= 10) && n < (int)sizeof(digits));
  while (n > 0 && p < end)
    *p++ = digits[--n];
  return p;
}

static int
write_at(int dir_fd, const char *name, const char *text, size_t len)
{
  int fd = openat(dir_fd, name, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return errno;
  int err = write(fd, text, len) == (ssize_t)len ? 0 : (errno ? errno : EIO);
  close(fd);
  return err;
}

static int
write_id_line(int dir_fd, const char *name, unsigned id)
{
  char line[40], *end = line + sizeof(line);
  char *p = append_uint(line, end, id);
  p = append_str(p, end, " ");
  p = append_uint(p, end, id);
  p = append_str(p, end, " 1\n");
  return write_at(dir_fd, name, line, (size_t)(p - line));
}

int
hutch_idmap_write_single(const char *proc_dir, uid_t uid, gid_t gid)
{
  int dir_fd = open(proc_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0)
    return errno;
  /* An unprivileged single-id gid map is only accepted once setgroups is
   * denied, so the app can never drop a group that was denying it access. */
  int err = write_at(dir_fd, "setgroups", "deny", 4);
  if (!err)
    err = write_id_line(dir_fd, "uid_map", (unsigned)uid);
  if (!err)
    err = write_id_line(dir_fd, "gid_map", (unsigned)gid);
  close(dir_fd);
  return err;
}

int
hutch_idmap_unshare_self(void)
{
  uid_t uid = getuid();
  gid_t gid = getgid();
  if (unshare(CLONE_NEWUSER) < 0)
    return errno;
  return hutch_idmap_write_single("/proc/self", uid, gid);
}

static gboolean
write_ranges(int dir_fd, const char *name, GArray *ranges, GError **error)
{
  g_autoptr(GString) text = g_string_new(NULL);
  for (guint i = 0; i < ranges->len; i++) {
    HutchIdRange r = g_array_index(ranges, HutchIdRange, i);
    g_string_append_printf(text, "%u %u %u\n", r.inside, r.outside, r.count);
  }
  int err = write_at(dir_fd, name, text->str, text->len);
  if (!err)
    return TRUE;
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot write %s: %s", name, g_strerror(err));
  return FALSE;
}

/* From inside the id holder's namespace, hutch is privileged over the
 * child's new namespace and over every id the holder maps, so the kernel
 * takes the full layout from hutch itself: no setuid helper runs. The two
 * capabilities are effective only for these two writes. */
static gboolean
write_maps_from_holder(const HutchIdMap *map, pid_t pid, GError **error)
{
  const guint64 setid = (1ULL << CAP_SETUID) | (1ULL << CAP_SETGID);
  char proc_dir[32];
  g_snprintf(proc_dir, sizeof(proc_dir), "/proc/%d", (int)pid);
  int dir_fd = open(proc_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot open %s: %s", proc_dir,
                g_strerror(errno));
    return FALSE;
  }
  int err = hutch_caps_set(setid, setid);
  gboolean ok = !err && write_ranges(dir_fd, "uid_map", map->uid_ranges, error) &&
                write_ranges(dir_fd, "gid_map", map->gid_ranges, error);
  if (err)
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "cannot raise CAP_SETUID in the id holder's namespace: %s", g_strerror(err));
  hutch_caps_set(setid, 0);
  close(dir_fd);
  if (!ok)
    g_prefix_error(error, "from the id holder's namespace (%s): ", map->why);
  return ok;
}

gboolean
hutch_idmap_apply(const HutchIdMap *map, pid_t pid, GError **error)
{
  if (map->method == HUTCH_IDMAP_SUBORDINATE)
    return run_map_helpers(map, pid, error);
  if (map->method == HUTCH_IDMAP_HOLDER)
    return write_maps_from_holder(map, pid, error);
  const HutchIdRange *u = &g_array_index(map->uid_ranges, HutchIdRange, 0);
  const HutchIdRange *g = &g_array_index(map->gid_ranges, HutchIdRange, 0);
  char proc_dir[32];
  g_snprintf(proc_dir, sizeof(proc_dir), "/proc/%d", (int)pid);
  int err = hutch_idmap_write_single(proc_dir, u->outside, g->outside);
  if (!err)
    return TRUE;
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot write the id maps of %s: %s", proc_dir,
              g_strerror(err));
  return FALSE;
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
                         map->method == HUTCH_IDMAP_SUBORDINATE ? "newuidmap"
                         : map->method == HUTCH_IDMAP_HOLDER    ? "holder"
                                                                : "single",
                         map->why);
  for (guint i = 0; map->problems && i < map->problems->len; i++)
    g_string_append_printf(out, "idmap  %s\n", (char *)map->problems->pdata[i]);
  for (guint i = 0; map->notes && i < map->notes->len; i++)
    g_string_append_printf(out, "idmap  %s\n", (char *)map->notes->pdata[i]);
  describe_ranges(out, "uid", map->uid_ranges);
  describe_ranges(out, "gid", map->gid_ranges);
}
