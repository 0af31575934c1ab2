/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "state.h"
#include "atomic-file.h"
#include "error.h"
#include "file-read.h"
#include "print.h"
#include "names.h"
#include "paths.h"
#include "util.h"
#include "procinfo.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define GROUP "Sandbox"
#define NS_GROUP "Namespaces"
#define NEW_PREFIX ".new-"
#define STALE_PREFIX ".stale-"
/* Only where RENAME_NOREPLACE is missing can a directory lack its state
 * file, for the moment between mkdir and rename; give it this long. */
#define STATELESS_GRACE_S 600

void
hutch_state_free(HutchState *state)
{
  if (!state)
    return;
  g_free(state->name);
  g_free(state->dir);
  g_free(state->profile);
  g_strfreev(state->command);
  g_free(state->phase);
  g_strfreev(state->permissions);
  g_free(state->network);
  g_free(state->limits);
  g_free(state->freeze_method);
  g_free(state->cgroup);
  g_free(state);
}

/* The state and cleanup files are hutch's own and small; read without
 * blocking all the same (file-read.h). */
#define STATE_FILE_MAX (1 << 20)

static void
set_opt_string(GKeyFile *kf, const char *key, const char *value)
{
  if (value)
    g_key_file_set_string(kf, GROUP, key, value);
}

gboolean
hutch_state_save(const HutchState *state, GError **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new();
  g_key_file_set_string(kf, GROUP, "Name", state->name);
  set_opt_string(kf, "Profile", state->profile);
  if (state->command)
    g_key_file_set_string_list(kf, GROUP, "Command", (const char *const *)state->command,
                               g_strv_length(state->command));
  g_key_file_set_int64(kf, GROUP, "HutchPid", state->hutch_pid);
  g_key_file_set_uint64(kf, GROUP, "HutchStart", state->hutch_start);
  g_key_file_set_int64(kf, GROUP, "InitPid", state->init_pid);
  g_key_file_set_uint64(kf, GROUP, "InitStart", state->init_start);
  g_key_file_set_int64(kf, GROUP, "Started", state->started);
  set_opt_string(kf, "Phase", state->phase);
  if (state->permissions)
    g_key_file_set_string_list(kf, GROUP, "Permissions", (const char *const *)state->permissions,
                               g_strv_length(state->permissions));
  set_opt_string(kf, "Network", state->network);
  set_opt_string(kf, "Limits", state->limits);
  set_opt_string(kf, "FreezeMethod", state->freeze_method);
  set_opt_string(kf, "Cgroup", state->cgroup);
  g_key_file_set_boolean(kf, GROUP, "Seccomp", state->seccomp);
  for (int i = 0; i < HUTCH_NS_COUNT; i++)
    if (state->ns[i])
      g_key_file_set_uint64(kf, NS_GROUP, hutch_namespaces[i].name, state->ns[i]);

  gsize len;
  g_autofree char *data = g_key_file_to_data(kf, &len, NULL);
  g_autofree char *path = g_build_filename(state->dir, "state", NULL);
  if (!hutch_file_replace(path, data, len, 0600, error)) {
    g_prefix_error(error, "cannot record the sandbox's state: ");
    return FALSE;
  }
  return TRUE;
}

static char *
get_opt_string(GKeyFile *kf, const char *key)
{
  return g_key_file_get_string(kf, GROUP, key, NULL);
}

HutchState *
hutch_state_load(const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename(dir, "state", NULL);
  g_autoptr(GKeyFile) kf = g_key_file_new();
  g_autofree char *data = NULL;
  gsize len;
  if (!hutch_read_file(path, STATE_FILE_MAX, &data, &len, error))
    return NULL;
  if (!g_key_file_load_from_data(kf, data, len, G_KEY_FILE_NONE, error)) {
    g_prefix_error(error, "%s: ", path);
    return NULL;
  }
  g_autoptr(HutchState) state = g_new0(HutchState, 1);
  state->dir = g_strdup(dir);
  state->name = g_key_file_get_string(kf, GROUP, "Name", error);
  if (!state->name) {
    g_prefix_error(error, "%s: ", path);
    return NULL;
  }
  state->profile = get_opt_string(kf, "Profile");
  state->command = g_key_file_get_string_list(kf, GROUP, "Command", NULL, NULL);
  state->hutch_pid = (pid_t)g_key_file_get_int64(kf, GROUP, "HutchPid", NULL);
  state->hutch_start = g_key_file_get_uint64(kf, GROUP, "HutchStart", NULL);
  state->init_pid = (pid_t)g_key_file_get_int64(kf, GROUP, "InitPid", NULL);
  state->init_start = g_key_file_get_uint64(kf, GROUP, "InitStart", NULL);
  state->started = g_key_file_get_int64(kf, GROUP, "Started", NULL);
  state->phase = get_opt_string(kf, "Phase");
  state->permissions = g_key_file_get_string_list(kf, GROUP, "Permissions", NULL, NULL);
  state->network = get_opt_string(kf, "Network");
  state->limits = get_opt_string(kf, "Limits");
  state->freeze_method = get_opt_string(kf, "FreezeMethod");
  state->cgroup = get_opt_string(kf, "Cgroup");
  state->seccomp = g_key_file_get_boolean(kf, GROUP, "Seccomp", NULL);
  for (int i = 0; i < HUTCH_NS_COUNT; i++)
    state->ns[i] = g_key_file_get_uint64(kf, NS_GROUP, hutch_namespaces[i].name, NULL);
  g_autofree char *marker = g_build_filename(dir, "stopping", NULL);
  state->stopping = access(marker, F_OK) == 0;
  return g_steal_pointer(&state);
}

gboolean
hutch_state_alive(const HutchState *state)
{
  return hutch_proc_alive(state->hutch_pid, state->hutch_start);
}

HutchSandboxState
hutch_state_phase(const HutchState *state)
{
  if (state->stopping)
    return HUTCH_SB_STOPPING;
  if (!state->init_pid || g_strcmp0(state->phase, "running") != 0)
    return HUTCH_SB_STARTING;
  return HUTCH_SB_RUNNING;
}

/* --- host cleanups ------------------------------------------------------ */

gboolean
hutch_state_add_cleanup(const char *dir, const char *type, const char *data, GError **error)
{
  /* Plan tasks record theirs from their own threads. */
  static GMutex lock;
  g_autoptr(GMutexLocker) locked G_GNUC_UNUSED = g_mutex_locker_new(&lock);
  g_autofree char *path = g_build_filename(dir, "cleanup", NULL);
  g_autofree char *old = NULL;
  hutch_read_file(path, STATE_FILE_MAX, &old, NULL, NULL);
  g_autofree char *escaped = g_strescape(data, NULL);
  g_autofree char *text = g_strdup_printf("%s%s %s\n", old ? old : "", type, escaped);
  if (!hutch_file_replace(path, text, strlen(text), 0600, error)) {
    g_prefix_error(error, "cannot record how to undo %s: ", type);
    return FALSE;
  }
  return TRUE;
}

static const HutchCleanupHandler *cleanup_handlers;

void
hutch_state_set_cleanup_handlers(const HutchCleanupHandler *handlers)
{
  cleanup_handlers = handlers;
}

static void
run_cleanup_entry(const char *sandbox, const char *line)
{
  const char *space = strchr(line, ' ');
  if (!space)
    return;
  g_autofree char *type = g_strndup(line, space - line);
  g_autofree char *data = g_strcompress(space + 1);
  for (const HutchCleanupHandler *h = cleanup_handlers; h->type; h++) {
    if (g_str_equal(h->type, type)) {
      h->run(data);
      return;
    }
  }
  hutch_print_line(stderr, "hutch: cannot undo '%s' left by sandbox %s: unknown resource type",
                   type, sandbox);
}

/* Newest first, as the plan releases its resources. */
static void
run_cleanups(const char *dir, const char *sandbox)
{
  g_autofree char *path = g_build_filename(dir, "cleanup", NULL);
  g_autofree char *text = NULL;
  if (!hutch_read_file(path, STATE_FILE_MAX, &text, NULL, NULL))
    return;
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (int i = (int)g_strv_length(lines) - 1; i >= 0; i--)
    if (*lines[i])
      run_cleanup_entry(sandbox, lines[i]);
}

/* --- stale directories -------------------------------------------------- */

static const char *
self_tag(void)
{
  static char tag[64];
  if (!tag[0])
    snprintf(tag, sizeof(tag), "%d-%llu", (int)getpid(),
             (unsigned long long)hutch_proc_start_time(getpid()));
  return tag;
}

/* Parse "PID-START" at the front of S; point *rest after it. */
static gboolean
parse_tag(const char *s, pid_t *pid, guint64 *start, const char **rest)
{
  char *end;
  guint64 p = g_ascii_strtoull(s, &end, 10);
  if (end == s || *end != '-' || p == 0 || p > G_MAXINT)
    return FALSE;
  const char *s2 = end + 1;
  *start = g_ascii_strtoull(s2, &end, 10);
  if (end == s2)
    return FALSE;
  *pid = (pid_t)p;
  *rest = end;
  return TRUE;
}

/* Take DIR (NAME's directory, or a stale one another cleaner abandoned) by
 * renaming it to a name tagged with this process, then undo and remove it.
 * Losing the rename to another cleaner is fine: it does the work. */
static void
clean_dir(const char *root, const char *entry, const char *name)
{
  g_autofree char *from = g_build_filename(root, entry, NULL);
  g_autofree char *undo = g_build_filename(from, "cleanup", NULL);
  if (!cleanup_handlers && g_file_test(undo, G_FILE_TEST_EXISTS))
    return;
  g_autofree char *claimed = g_strdup_printf("%s/" STALE_PREFIX "%s-%s", root, self_tag(), name);
  if (rename(from, claimed) < 0)
    return;
  run_cleanups(claimed, name);
  hutch_rm_rf(claimed);
}

static gboolean
young(const char *path)
{
  struct stat st;
  return lstat(path, &st) == 0 && time(NULL) - st.st_mtime < STATELESS_GRACE_S;
}

/* Look at one entry of the runtime root: clean it when its hutch is dead,
 * return its state when it is a live sandbox. */
static HutchState *
visit_entry(const char *root, const char *entry)
{
  pid_t pid;
  guint64 start;
  const char *rest;
  if (g_str_has_prefix(entry, NEW_PREFIX)) {
    if (parse_tag(entry + strlen(NEW_PREFIX), &pid, &start, &rest) &&
        !hutch_proc_alive(pid, start)) {
      g_autofree char *path = g_build_filename(root, entry, NULL);
      hutch_rm_rf(path);
    }
    return NULL;
  }
  if (g_str_has_prefix(entry, STALE_PREFIX)) {
    if (parse_tag(entry + strlen(STALE_PREFIX), &pid, &start, &rest) && *rest == '-' &&
        !hutch_proc_alive(pid, start))
      clean_dir(root, entry, rest + 1);
    return NULL;
  }
  if (!hutch_name_valid(entry))
    return NULL;
  g_autofree char *dir = g_build_filename(root, entry, NULL);
  g_autoptr(HutchState) state = hutch_state_load(dir, NULL);
  if (!state) {
    if (!young(dir))
      clean_dir(root, entry, entry);
    return NULL;
  }
  if (!hutch_state_alive(state)) {
    clean_dir(root, entry, entry);
    return NULL;
  }
  return g_steal_pointer(&state);
}

static gint
by_name(gconstpointer a, gconstpointer b)
{
  const HutchState *sa = *(HutchState *const *)a, *sb = *(HutchState *const *)b;
  return strcmp(sa->name, sb->name);
}

GPtrArray *
hutch_state_list(void)
{
  GPtrArray *list = g_ptr_array_new_with_free_func((GDestroyNotify)hutch_state_free);
  const char *root = hutch_runtime_root(NULL);
  DIR *d = root ? opendir(root) : NULL;
  if (!d)
    return list;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (g_str_equal(de->d_name, ".") || g_str_equal(de->d_name, ".."))
      continue;
    HutchState *state = visit_entry(root, de->d_name);
    if (state)
      g_ptr_array_add(list, state);
  }
  closedir(d);
  g_ptr_array_sort(list, by_name);
  return list;
}

void
hutch_state_clean_stale(void)
{
  g_ptr_array_unref(hutch_state_list());
}

HutchState *
hutch_state_find(const char *name, GError **error)
{
  if (!hutch_name_check(name, error))
    return NULL;
  const char *root = hutch_runtime_root(error);
  if (!root)
    return NULL;
  g_autofree char *dir = g_build_filename(root, name, NULL);
  HutchState *state = NULL;
  if (access(dir, F_OK) == 0)
    state = visit_entry(root, name);
  if (!state)
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_NOT_FOUND,
                "no sandbox named '%s' is running (see 'hutch ls')", name);
  return state;
}

/* --- claiming a name ---------------------------------------------------- */

static gboolean
write_first_state(const char *dir, const char *name, GError **error)
{
  g_autoptr(HutchState) state = g_new0(HutchState, 1);
  state->dir = g_strdup(dir);
  state->name = g_strdup(name);
  state->hutch_pid = getpid();
  state->hutch_start = hutch_proc_start_time(getpid());
  state->started = g_get_real_time();
  state->phase = g_strdup("starting");
  return hutch_state_save(state, error);
}

/* Move the prepared directory TMP to TARGET unless TARGET exists. Where the
 * filesystem lacks RENAME_NOREPLACE, reserve TARGET with mkdir and move the
 * state file into it instead. */
static int
publish_dir(const char *tmp, const char *target)
{
  if (renameat2(AT_FDCWD, tmp, AT_FDCWD, target, RENAME_NOREPLACE) == 0)
    return 0;
  if (errno != EINVAL && errno != ENOSYS)
    return errno == ENOTEMPTY ? EEXIST : errno;
  if (mkdir(target, 0700) < 0)
    return errno;
  g_autofree char *from = g_build_filename(tmp, "state", NULL);
  g_autofree char *to = g_build_filename(target, "state", NULL);
  int err = rename(from, to) < 0 ? errno : 0;
  rmdir(tmp);
  return err;
}

/* TRUE when NAME is held by a live sandbox; a dead one is cleaned away. */
static gboolean
name_taken(const char *root, const char *name)
{
  g_autoptr(HutchState) state = visit_entry(root, name);
  if (state)
    return TRUE;
  g_autofree char *dir = g_build_filename(root, name, NULL);
  /* Still there: a sandbox without state yet (see publish_dir). */
  return access(dir, F_OK) == 0;
}

gboolean
hutch_state_claim(const char *name, gboolean generated, char **name_out, char **dir_out,
                  GError **error)
{
  const char *root = hutch_runtime_root(error);
  if (!root)
    return FALSE;
  g_autofree char *tmp = g_strdup_printf("%s/" NEW_PREFIX "%s", root, self_tag());
  if (mkdir(tmp, 0700) < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot create %s: %s", tmp,
                g_strerror(errno));
    return FALSE;
  }
  for (guint n = 1; n < 100000; n++) {
    g_autofree char *candidate = n == 1 ? g_strdup(name) : g_strdup_printf("%s-%u", name, n);
    g_autofree char *target = g_build_filename(root, candidate, NULL);
    if (!write_first_state(tmp, candidate, error)) {
      hutch_rm_rf(tmp);
      return FALSE;
    }
    int err = publish_dir(tmp, target);
    /* A dead sandbox may hold the name: clean it and try the name again. */
    if (err == EEXIST && !name_taken(root, candidate))
      err = publish_dir(tmp, target);
    if (err == 0) {
      *name_out = g_steal_pointer(&candidate);
      *dir_out = g_steal_pointer(&target);
      return TRUE;
    }
    if (err != EEXIST || !generated) {
      hutch_rm_rf(tmp);
      if (err == EEXIST)
        g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                    "a sandbox named '%s' is already running; choose another --name", name);
      else
        g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot create %s: %s", target,
                    g_strerror(err));
      return FALSE;
    }
  }
  hutch_rm_rf(tmp);
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "no free sandbox name of the form %s-N", name);
  return FALSE;
}
