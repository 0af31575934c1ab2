/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Audio passthrough (`audio`, and `microphone` for recording).
 *
 * The sandbox gets a socket of its own, $XDG_RUNTIME_DIR/pulse/native,
 * where hutch listens (pulse-relay.c): each connection an app makes there
 * is relayed to the user's sound server (PulseAudio or pipewire-pulse,
 * found as libpulse finds it) over a connection of hutch's, authenticated
 * with the user's cookie, which stays outside. The relay lets through what
 * playback (and, with `microphone`, recording) needs and refuses the rest
 * (pulse-filter.c): a sound server runs any module its user's clients ask
 * it to load, so an app given the server's own socket could run code
 * outside the sandbox.
 *
 * The socket is made while the plan is built, so it is there before the
 * app starts; the server is connected to only when an app connects, so the
 * launch never waits for it and a sandbox holds no connection to the
 * server beyond its apps' own. The plan only checks that the server's
 * socket answers, for a clear error. The relay is a host resource: it
 * stops with the sandbox, and its connections end with it (or with hutch,
 * if hutch is killed), which ends the app's streams on the server.
 *
 * The app gets PULSE_SERVER and a client.conf with shared memory off (the
 * relay refuses it anyway) and no autospawn. */
#include "audio.h"
#include "error.h"
#include "desktop.h"
#include "pulse-cookie.h"
#include "pulse-filter.h"
#include "pulse-relay.h"
#include "pulse.h"
#include "runtime-files.h"
#include <string.h>

#define WHY "audio"

static char *
sandbox_server(HutchPlan *plan)
{
  g_autofree char *socket = g_build_filename(plan->sandbox_runtime_dir, HUTCH_AUDIO_SOCKET, NULL);
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

static void
stop_relay(HutchHostResource *res)
{
  hutch_pulse_relay_stop(g_steal_pointer(&res->data));
}

static gboolean
start_relay(HutchPlan *plan, HutchPulse *pulse, gboolean record, GError **error)
{
  if (!hutch_runtime_mkdir(plan, HUTCH_AUDIO_DIR, error))
    return FALSE;
  g_autofree char *socket = hutch_runtime_file(plan, HUTCH_AUDIO_SOCKET);
  guint8 cookie[HUTCH_PULSE_COOKIE_LENGTH];
  hutch_pulse_cookie(pulse, cookie);
  HutchPulseRelay *relay =
      hutch_pulse_relay_start(socket, hutch_pulse_server(pulse), cookie, record, error);
  memset(cookie, 0, sizeof(cookie));
  if (!relay) {
    g_prefix_error(error, "audio: ");
    return FALSE;
  }
  hutch_plan_add_resource(plan, "audio relay", stop_relay, relay, NULL);
  return TRUE;
}

/* What answers on the socket, for the plan's notes. A launch asks the
 * kernel (the name of the process on the socket) and never waits for the
 * server; a dry run, which has the time, asks the server its name. */
static char *
describe_server(HutchPlan *plan, HutchPulse *pulse, GError **error)
{
  g_autofree char *comm = NULL;
  HutchSoundServer peer = hutch_pulse_peer(pulse, &comm);
  if (plan->runtime_dir)
    return peer != HUTCH_SOUND_SERVER_UNKNOWN
               ? g_steal_pointer(&comm)
               : g_strdup_printf("a sound server (%s)", comm ? comm : "process not visible");
  if (!hutch_pulse_handshake(pulse, error))
    return NULL;
  const char *name, *version;
  hutch_pulse_server_info(pulse, &name, &version);
  return g_strdup_printf("%s %s", name, version);
}

static gboolean
server_error(GError **error)
{
  g_autofree char *msg = g_strdup_printf("audio: %s; start PulseAudio or pipewire-pulse, or "
                                         "drop the audio permission",
                                         (*error)->message);
  g_free((*error)->message);
  (*error)->message = g_steal_pointer(&msg);
  return FALSE;
}

static void
note_policy(HutchPlan *plan, gboolean record)
{
  g_autofree char *text = hutch_pulse_filter_describe(record);
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (char **l = lines; *l; l++)
    hutch_plan_note(plan, "audio: %s", *l);
}

gboolean
hutch_audio_plan(HutchPlan *plan, GError **error)
{
  gboolean record = hutch_policy_has(plan->policy, HUTCH_PERM_MICROPHONE);
  if (!hutch_pulse_cookie_plan(plan, error))
    return FALSE;
  if (!hutch_policy_has(plan->policy, HUTCH_PERM_AUDIO)) {
    if (record)
      hutch_plan_note(plan, "microphone: no effect without the audio permission");
    return TRUE;
  }
  g_autoptr(HutchPulse) pulse = hutch_pulse_open(error);
  if (!pulse)
    return server_error(error);
  g_autofree char *shown = describe_server(plan, pulse, error);
  if (!shown)
    return server_error(error);
  g_autofree char *socket = g_build_filename(plan->sandbox_runtime_dir, HUTCH_AUDIO_SOCKET, NULL);
  hutch_plan_note(plan,
                  "audio: %s at %s, reached through hutch's relay from the sandbox's socket %s",
                  shown, hutch_pulse_server(pulse), socket);
  hutch_plan_note(plan,
                  "audio: hutch holds a connection to the server only for each one an app "
                  "makes (at most %d at once); the launch only checks that the socket answers",
                  HUTCH_PULSE_RELAY_MAX_CLIENTS);
  note_policy(plan, record);
  if (plan->runtime_dir && !start_relay(plan, pulse, record, error))
    return FALSE;
  /* The probe's connection ends here: the relay connects for each app. */
  g_clear_pointer(&pulse, hutch_pulse_free);
  if (!write_client_conf(plan, error))
    return FALSE;
  /* Read-only: connect() does not mind, and the app can add nothing. */
  g_autofree char *dir = g_build_filename(plan->sandbox_runtime_dir, HUTCH_AUDIO_DIR, NULL);
  if (!hutch_runtime_bind(plan, HUTCH_AUDIO_DIR, dir, HUTCH_OPF_RDONLY, WHY, error))
    return FALSE;
  set_client_env(plan);
  return TRUE;
}
