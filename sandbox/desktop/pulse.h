/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A small synchronous client of the sound server's native protocol: what
 * the audio passthrough needs to find and name the server, and no more
 * (pulse.c says why it is not libpulse). Every wait is bounded, so a hung
 * server fails the plan instead of hanging hutch. */
#pragma once
#include "pulse-server.h"
#include <glib.h>

typedef struct HutchPulse HutchPulse;

/* Connect to the user's local server the way its clients would
 * (PULSE_SERVER, client.conf, $XDG_RUNTIME_DIR/pulse/native; see
 * pulse-server.c); never autospawns one. A server configured only on
 * another machine is an error: hutch passes only a local socket. This
 * only connects; the handshake (one round trip) asks the server its name. */
HutchPulse *hutch_pulse_open(GError **error);
gboolean hutch_pulse_handshake(HutchPulse *pulse, GError **error);
typedef enum {
  HUTCH_SOUND_SERVER_UNKNOWN,
  HUTCH_SOUND_SERVER_PULSEAUDIO,
  HUTCH_SOUND_SERVER_PIPEWIRE,
} HutchSoundServer;

/* Which server answers on the socket, told by the command name of its
 * process ("pulseaudio", "pipewire-pulse"); *COMM gets that name, or NULL
 * when the process is not visible from here. */
HutchSoundServer hutch_pulse_peer(HutchPulse *pulse, char **comm);
void hutch_pulse_free(HutchPulse *pulse);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HutchPulse, hutch_pulse_free)

/* The socket connected to, e.g. "/run/user/1000/pulse/native". */
const char *hutch_pulse_server(HutchPulse *pulse);
/* "pulseaudio", or "PulseAudio (on PipeWire 1.0.5)"; and its version:
 * asked in the handshake, and valid as long as PULSE. */
void hutch_pulse_server_info(HutchPulse *pulse, const char **name, const char **version);
/* The cookie the user's clients show this server (zeros when none). */
void hutch_pulse_cookie(HutchPulse *pulse, guint8 cookie[HUTCH_PULSE_COOKIE_LENGTH]);
