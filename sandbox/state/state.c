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
#include "undo.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define GROUP "Sandbox"
#define NS_GROUP "Namespaces"
#define NEW_PREFIX ".new-"
#define TMP_PREFIX ".tmp-"
#define LOCK_FILE ".lock"
/* Only where RENAME_NOREPLACE is missing can a directory lack its state
 * file, for the moment between mkdir and rename; give it this long. */
#define STATELESS_GRACE_S 600
/* How long a claim waits for a killed sandbox's hutch to finish dying. */
#define DYING_WAIT_MS 2000

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

/* --- stale directories -------------------------------------------------- */

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

/* The lock that makes taking a name away atomic with the check that its
 * sandbox is dead (see state.h); -1 when it cannot be had, and then
 * nothing is taken away. */
static int
lock_names(const char *root)
{
  g_autofree char *path = g_build_filename(root, LOCK_FILE, NULL);
  int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return -1;
  while (flock(fd, LOCK_EX) < 0) {
    if (errno != EINTR) {
      close(fd);
      return -1;
    }
  }
  return fd;
}

static gboolean
young(const char *path)
{
  struct stat st;
  return lstat(path, &st) == 0 && time(NULL) - st.st_mtime < STATELESS_GRACE_S;
}

/* A stale directory that is not under a sandbox's name (a dead cleaner's
 * claim): take it over and undo it. */
static void
take_over(const char *root, const char *entry, const char *name)
{
  g_autofree char *from = g_build_filename(root, entry, NULL);
  if (!hutch_stale_can_undo(from) || hutch_stale_retry_later(from))
    return;
  g_autofree char *claimed = hutch_stale_claim(root, entry, name);
  if (claimed)
    hutch_stale_undo(claimed, name);
}

/* NAME's directory looked dead: under the lock, read its state again and
 * take it away only if it is still the dead one (or still stateless and
 * old). Returns the state when a live sandbox has the name by now. */
static HutchState *
clean_named(const char *root, const char *name)
{
  g_autofree char *dir = g_build_filename(root, name, NULL);
  if (!hutch_stale_can_undo(dir))
    return NULL;
  int lock = lock_names(root);
  if (lock < 0)
    return NULL;
  g_autoptr(HutchState) state = hutch_state_load(dir, NULL);
  g_autofree char *claimed = NULL;
  if (state && hutch_state_alive(state)) {
    close(lock);
    return g_steal_pointer(&state);
  }
  if (state || (access(dir, F_OK) == 0 && !young(dir)))
    claimed = hutch_stale_claim(root, name, name);
  close(lock);
  if (claimed)
    hutch_stale_undo(claimed, name);
  return NULL;
}

/* Look at one entry of the runtime root: clean it when its hutch is dead,
 * return its state when it is a live sandbox. */
static HutchState *
visit_entry(const char *root, const char *entry)
{
  pid_t pid;
  guint64 start;
  const char *rest;
  if (g_str_has_prefix(entry, NEW_PREFIX) || g_str_has_prefix(entry, TMP_PREFIX)) {
    if (parse_tag(strchr(entry, '-') + 1, &pid, &start, &rest) && !hutch_proc_alive(pid, start)) {
      g_autofree char *path = g_build_filename(root, entry, NULL);
      hutch_rm_rf(path);
    }
    return NULL;
  }
  if (g_str_has_prefix(entry, HUTCH_STALE_PREFIX)) {
    if (parse_tag(entry + strlen(HUTCH_STALE_PREFIX), &pid, &start, &rest) && *rest == '-' &&
        !hutch_proc_alive(pid, start))
      take_over(root, entry, rest + 1);
    return NULL;
  }
  if (!hutch_name_valid(entry))
    return NULL;
  g_autofree char *dir = g_build_filename(root, entry, NULL);
  g_autoptr(HutchState) state = hutch_state_load(dir, NULL);
  if (state && hutch_state_alive(state))
    return g_steal_pointer(&state);
  if (!state && young(dir))
    return NULL;
  return clean_named(root, entry);
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

void
hutch_state_remove(const char *dir)
{
  /* Released already: a cleaner must not undo any of it again. */
  g_autofree char *undo = g_build_filename(dir, "cleanup", NULL);
  unlink(undo);
  g_autofree char *root = g_path_get_dirname(dir);
  g_autofree char *entry = g_path_get_basename(dir);
  g_autofree char *gone = hutch_stale_claim(root, entry, entry);
  hutch_rm_rf(gone ? gone : dir);
}

char *
hutch_state_scratch_dir(const char *what, GError **error)
{
  const char *root = hutch_runtime_root(error);
  if (!root)
    return NULL;
  char *dir = g_strdup_printf("%s/" TMP_PREFIX "%s-%s", root, hutch_state_self_tag(), what);
  if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot create %s: %s", dir,
                g_strerror(errno));
    g_free(dir);
    return NULL;
  }
  return dir;
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

/* A sandbox whose hutch was just killed still looks alive until the
 * kernel has ended it; its name is free a moment later. */
static gboolean
wait_dying(const HutchState *state)
{
  if (!hutch_proc_dying(state->hutch_pid, state->hutch_start))
    return FALSE;
  for (int ms = 0; ms < DYING_WAIT_MS && hutch_state_alive(state); ms++)
    g_usleep(1000);
  return TRUE;
}

/* TRUE when NAME is held by a live sandbox; a dead one is cleaned away. */
static gboolean
name_taken(const char *root, const char *name)
{
  g_autoptr(HutchState) state = visit_entry(root, name);
  if (state && wait_dying(state)) {
    g_clear_pointer(&state, hutch_state_free);
    state = visit_entry(root, name);
  }
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
  g_autofree char *tmp = g_strdup_printf("%s/" NEW_PREFIX "%s", root, hutch_state_self_tag());
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
