/* A hutch killed with SIGKILL cannot unload its sound-server module. The
 * module's socket path names the sandbox's runtime dir, and that dir keeps an
 * owner file (pid and start time of the hutch that loaded it), so the next
 * hutch can tell which modules have outlived their sandbox. */
#include "audio.h"
#include "error.h"
#include "paths.h"
#include "plan-steps.h"
#include "pulse.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Field 22 of /proc/PID/stat: with the pid, it names one process for good. */
static guint64
process_start_time(pid_t pid)
{
  g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
  g_autofree char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, NULL))
    return 0;
  const char *p = strrchr(text, ')');
  if (!p)
    return 0;
  g_auto(GStrv) fields = g_strsplit(p + 2, " ", 0);
  /* fields[0] is field 3 (state), so field 22 is fields[19]. */
  if (g_strv_length(fields) < 20)
    return 0;
  return g_ascii_strtoull(fields[19], NULL, 10);
}

gboolean
hutch_audio_write_owner(const char *path, GError **error)
{
  pid_t self = getpid();
  g_autofree char *text =
      g_strdup_printf("%d %" G_GUINT64_FORMAT "\n", (int)self, process_start_time(self));
  if (!g_file_set_contents_full(path, text, -1, G_FILE_SET_CONTENTS_NONE, 0600, error)) {
    g_prefix_error(error, "audio: ");
    return FALSE;
  }
  return TRUE;
}

static gboolean
owner_alive(const char *owner_file)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents(owner_file, &text, NULL, NULL))
    return FALSE;
  int pid = 0;
  guint64 start = 0;
  if (sscanf(text, "%d %" G_GUINT64_FORMAT, &pid, &start) != 2 || pid <= 0)
    return FALSE;
  return process_start_time(pid) == start;
}

/* Runtime dirs of sandboxes whose hutch is gone but whose audio dir remains. */
static GPtrArray *
find_stale_dirs(const char *root)
{
  GPtrArray *stale = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GDir) dir = g_dir_open(root, 0, NULL);
  if (!dir)
    return stale;
  for (const char *name; (name = g_dir_read_name(dir));) {
    g_autofree char *sandbox = g_build_filename(root, name, NULL);
    g_autofree char *owner = g_build_filename(sandbox, HUTCH_AUDIO_OWNER, NULL);
    if (g_file_test(owner, G_FILE_TEST_EXISTS) && !owner_alive(owner))
      g_ptr_array_add(stale, g_steal_pointer(&sandbox));
  }
  return stale;
}

/* The socket= value of a module argument, unquoted as pa_modargs does. */
static char *
module_socket(const char *argument)
{
  const char *p = strstr(argument, "socket=");
  if (!p)
    return NULL;
  p += strlen("socket=");
  GString *out = g_string_new(NULL);
  if (*p == '"' || *p == '\'') {
    char quote = *p++;
    for (; *p && *p != quote; p++) {
      if (*p == '\\' && p[1])
        p++;
      g_string_append_c(out, *p);
    }
  } else {
    for (; *p && !g_ascii_isspace(*p); p++)
      g_string_append_c(out, *p);
  }
  return g_string_free(out, FALSE);
}

/* A module is orphaned when its socket is in a stale sandbox's dir, or in a
 * sandbox dir under ROOT that no longer exists at all. */
static gboolean
module_orphaned(const HutchPulseModule *m, const char *root, GPtrArray *stale)
{
  if (!g_str_equal(m->name, "module-native-protocol-unix"))
    return FALSE;
  g_autofree char *socket = module_socket(m->argument);
  if (!socket || !g_str_has_prefix(socket, root) || socket[strlen(root)] != '/')
    return FALSE;
  g_autofree char *audio_dir = g_path_get_dirname(socket);
  g_autofree char *sandbox = g_path_get_dirname(audio_dir);
  for (guint i = 0; i < stale->len; i++)
    if (g_str_equal(sandbox, stale->pdata[i]))
      return TRUE;
  return !g_file_test(sandbox, G_FILE_TEST_IS_DIR);
}

static void
unload_orphans(const char *root, GPtrArray *stale)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HutchPulse) pulse = hutch_pulse_connect(&error);
  g_autoptr(GPtrArray) modules = pulse ? hutch_pulse_list_modules(pulse, &error) : NULL;
  if (!modules) {
    g_debug("audio: orphan cleanup: %s", error->message);
    return;
  }
  for (guint i = 0; i < modules->len; i++) {
    const HutchPulseModule *m = modules->pdata[i];
    if (!module_orphaned(m, root, stale))
      continue;
    if (!hutch_pulse_unload_module(pulse, m->index, &error)) {
      g_debug("audio: orphan cleanup: %s", error->message);
      g_clear_error(&error);
    }
  }
}

void
hutch_audio_cleanup_orphans(void)
{
  const char *root = hutch_runtime_root(NULL);
  if (!root)
    return;
  g_autoptr(GPtrArray) stale = find_stale_dirs(root);
  if (stale->len == 0)
    return;
  unload_orphans(root, stale);
  /* Gone with the module: the audio dir. The rest of the dir belongs to the
   * sandbox's lifecycle. */
  for (guint i = 0; i < stale->len; i++) {
    g_autofree char *audio_dir = g_build_filename(stale->pdata[i], HUTCH_AUDIO_DIR, NULL);
    hutch_rm_rf(audio_dir);
  }
}
