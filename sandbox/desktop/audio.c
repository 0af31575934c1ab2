/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Audio passthrough (`audio`).
 *
 * PulseAudio: the server loads module-native-protocol-unix with a socket in
 * this sandbox's private runtime dir; that directory (the socket and a
 * client.conf) alone is bound into the sandbox, so the app reaches the
 * sound server but no other host socket, and the module is unloaded when
 * the sandbox ends (or, if hutch is killed, by the next hutch command: see
 * audio-orphans.c). Loading it is a plan task (plan-tasks.h): the server
 * creates the socket in the already bound directory while the sandbox is
 * built, and the app starts once it is there.
 * pipewire-pulse cannot load that module, so its own socket is bound.
 * Which of the two answers is told by the process on the socket, without
 * a round trip; where that process is not visible, by asking the server.
 *
 * Either way the app gets PULSE_SERVER and a client.conf with shared memory
 * off (the server could not map the sandbox's memfds in every setup) and no
 * autospawn. */
#include "audio.h"
#include "error.h"
#include "desktop.h"
#include "plan-tasks.h"
#include "pulse.h"
#include "runtime-files.h"
#include "state.h"
#include <string.h>
#include <sys/un.h>

#define WHY "audio"

#define NOT_LOADED G_MAXUINT32

typedef struct {
  HutchPulse *pulse; /* until the task has loaded the module */
  char *socket;
  char *argument;
  guint32 index; /* NOT_LOADED until the task has loaded it */
} LoadedModule;

static void
loaded_module_free(gpointer p)
{
  LoadedModule *m = p;
  hutch_pulse_free(m->pulse);
  g_free(m->socket);
  g_free(m->argument);
  g_free(m);
}

/* At exit a new connection unloads the module, found by its socket as a
 * later command's cleanup would (audio-orphans.c): its index may belong to
 * another module after a server restart. */
static void
unload_module(HutchHostResource *res)
{
  LoadedModule *m = res->data;
  if (m->index != NOT_LOADED)
    hutch_audio_cleanup(m->socket);
}

/* The plan task: the handshake, then the module. The connection is closed
 * once the module is loaded: the server takes a limited number of clients
 * (PulseAudio 64), and a connection kept per sandbox would use one of them
 * beside the app's own. */
static gboolean
load_module(gpointer data, GError **error)
{
  LoadedModule *m = data;
  gboolean ok = hutch_pulse_handshake(m->pulse, error) &&
                hutch_pulse_load_module(m->pulse, "module-native-protocol-unix", m->argument,
                                        &m->index, error);
  hutch_pulse_free(g_steal_pointer(&m->pulse));
  if (!ok)
    g_prefix_error(error, "audio: ");
  return ok;
}

/* pa_modargs reads a double-quoted value with backslash escapes. */
static char *
quote_modarg(const char *value)
{
  GString *s = g_string_new("\"");
  for (const char *p = value; *p; p++) {
    if (*p == '"' || *p == '\\')
      g_string_append_c(s, '\\');
    g_string_append_c(s, *p);
  }
  g_string_append_c(s, '"');
  return g_string_free(s, FALSE);
}

static char *
sandbox_socket(HutchPlan *plan)
{
  return g_build_filename(plan->sandbox_runtime_dir, HUTCH_AUDIO_SOCKET, NULL);
}

static char *
sandbox_server(HutchPlan *plan)
{
  g_autofree char *socket = sandbox_socket(plan);
  return g_strconcat("unix:", socket, NULL);
}

/* The app's view: PULSE_SERVER, and a client.conf that says the same. */
static gboolean
write_client_conf(HutchPlan *plan, GError **error)
{
  if (!plan->runtime_dir)
    return TRUE;
  g_autofree char *server = sandbox_server(plan);
  g_autofree char *text = g_strdup_printf("# sound settings of hutch sandbox %s\n"
                                          "default-server = %s\n"
                                          "autospawn = no\n"
                                          "enable-shm = no\n",
                                          plan->name, server);
  return hutch_runtime_write(plan, HUTCH_AUDIO_DIR "/client.conf", text, error);
}

static void
set_client_env(HutchPlan *plan)
{
  g_autofree char *server = sandbox_server(plan);
  g_autofree char *conf =
      g_build_filename(plan->sandbox_runtime_dir, HUTCH_AUDIO_DIR, "client.conf", NULL);
  hutch_plan_setenv(plan, "PULSE_SERVER", server);
  hutch_plan_setenv(plan, "PULSE_CLIENTCONFIG", conf);
  hutch_plan_unsetenv(plan, "PULSE_COOKIE");
}

static gboolean
plan_pipewire(HutchPlan *plan, HutchPulse *pulse, const char *server_name, GError **error)
{
  const char *server = hutch_pulse_server(pulse);
  const char *path = server && g_str_has_prefix(server, "unix:") ? server + 5 : server;
  if (!path || !g_path_is_absolute(path)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "audio: %s is reached at '%s', not through a local socket hutch could bind",
                server_name, server ? server : "(unknown)");
    return FALSE;
  }
  hutch_plan_note(plan,
                  "audio: %s: its socket %s is bound as it is (pipewire-pulse cannot load a "
                  "per-sandbox socket module)",
                  server_name, path);
  if (plan->runtime_dir && !hutch_runtime_mkdir(plan, HUTCH_AUDIO_DIR, error))
    return FALSE;
  g_autofree char *socket = sandbox_socket(plan);
  g_autofree char *conf =
      g_build_filename(plan->sandbox_runtime_dir, HUTCH_AUDIO_DIR, "client.conf", NULL);
  if (!hutch_plan_bind(plan, path, socket, 0, WHY, error) || !write_client_conf(plan, error) ||
      !hutch_runtime_bind(plan, HUTCH_AUDIO_DIR "/client.conf", conf, HUTCH_OPF_RDONLY, WHY, error))
    return FALSE;
  set_client_env(plan);
  return TRUE;
}

/* Everything but the load itself, which the plan task does. */
static gboolean
start_socket_module(HutchPlan *plan, HutchPulse *pulse, GError **error)
{
  g_autofree char *socket = hutch_runtime_file(plan, HUTCH_AUDIO_SOCKET);
  if (strlen(socket) >= sizeof(((struct sockaddr_un *)NULL)->sun_path)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "audio: the socket path %s is too long for a unix socket; use a shorter "
                "--name",
                socket);
    return FALSE;
  }
  /* Recorded before loading, so a hutch killed in between leaves nothing
   * the next one does not know to undo. */
  if (!hutch_state_add_cleanup(plan->runtime_dir, HUTCH_AUDIO_CLEANUP, socket, error))
    return FALSE;
  g_autofree char *quoted = quote_modarg(socket);
  LoadedModule *m = g_new0(LoadedModule, 1);
  m->pulse = pulse;
  m->socket = g_strdup(socket);
  m->argument = g_strdup_printf("socket=%s auth-anonymous=1", quoted);
  m->index = NOT_LOADED;
  hutch_plan_add_server_resource(plan, "sound server module", unload_module, m, loaded_module_free);
  hutch_plan_start_task(plan, load_module, m);
  hutch_plan_note(plan, "audio: module-native-protocol-unix, socket %s", socket);
  return TRUE;
}

static gboolean
plan_module(HutchPlan *plan, HutchPulse *pulse, const char *server_name, GError **error)
{
  hutch_plan_note(plan,
                  "audio: %s at %s: a per-sandbox socket (module-native-protocol-unix, "
                  "unloaded at exit)",
                  server_name, hutch_pulse_server(pulse));
  if (!plan->runtime_dir) { /* dry run: nothing is loaded */
    hutch_pulse_free(pulse);
  } else if (!hutch_runtime_mkdir(plan, HUTCH_AUDIO_DIR, error) ||
             !start_socket_module(plan, pulse, error)) {
    hutch_pulse_free(pulse);
    return FALSE;
  }
  if (!write_client_conf(plan, error))
    return FALSE;
  /* The directory, since the socket does not exist yet; read-only, which
   * connect() does not mind. */
  g_autofree char *dir = g_build_filename(plan->sandbox_runtime_dir, HUTCH_AUDIO_DIR, NULL);
  if (!hutch_runtime_bind(plan, HUTCH_AUDIO_DIR, dir, HUTCH_OPF_RDONLY, WHY, error))
    return FALSE;
  set_client_env(plan);
  return TRUE;
}

/* The process on the socket names the server, which spares a round trip
 * before the plan is made; a dry run, or a server whose process hutch
 * cannot see, is asked. *SHOWN describes it for --dry-run. */
static gboolean
is_pipewire(HutchPlan *plan, HutchPulse *pulse, char **shown, GError **error)
{
  g_autofree char *comm = NULL;
  HutchSoundServer peer = hutch_pulse_peer(pulse, &comm);
  if (peer != HUTCH_SOUND_SERVER_UNKNOWN && plan->runtime_dir) {
    *shown = g_steal_pointer(&comm);
    return peer == HUTCH_SOUND_SERVER_PIPEWIRE;
  }
  if (!hutch_pulse_handshake(pulse, error))
    return FALSE;
  const char *name, *version;
  hutch_pulse_server_info(pulse, &name, &version);
  *shown = g_strdup_printf("%s %s", name, version);
  return strstr(name, "PipeWire") != NULL;
}

gboolean
hutch_audio_plan(HutchPlan *plan, GError **error)
{
  if (!hutch_policy_has(plan->policy, HUTCH_PERM_AUDIO))
    return TRUE;
  g_autoptr(HutchPulse) pulse = hutch_pulse_open(error);
  g_autoptr(GError) local = NULL;
  g_autofree char *shown = NULL;
  gboolean pipewire = pulse && is_pipewire(plan, pulse, &shown, &local);
  if (!pulse || local) {
    if (local)
      g_propagate_error(error, g_steal_pointer(&local));
    char *msg = g_strdup_printf("audio: %s; start PulseAudio or pipewire-pulse, or drop "
                                "the audio permission",
                                (*error)->message);
    g_free((*error)->message);
    (*error)->message = msg;
    return FALSE;
  }
  if (pipewire)
    return plan_pipewire(plan, pulse, shown, error);
  return plan_module(plan, g_steal_pointer(&pulse), shown, error);
}
