/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The audio relay: a listening socket for one sandbox, and a thread of the
 * sandbox's hutch that connects each app connection to the user's sound
 * server and relays it through the filter (pulse-conn.h). */
#pragma once
#include "pulse-server.h"
#include <glib.h>

/* Apps of one sandbox connected at once; more are turned away, so one
 * sandbox cannot take the server's whole client limit (PulseAudio: 64). */
#define HUTCH_PULSE_RELAY_MAX_CLIENTS 16

typedef struct HutchPulseRelay HutchPulseRelay;

/* Listen at SOCKET (which must not exist) and relay to the server at
 * UPSTREAM, a socket path, authenticating with COOKIE. The socket takes
 * connections at once; the server is connected to when an app connects. */
HutchPulseRelay *hutch_pulse_relay_start(const char *socket, const char *upstream,
                                         const guint8 cookie[HUTCH_PULSE_COOKIE_LENGTH],
                                         gboolean allow_record, GError **error);
/* Stop the thread and close every connection: the server drops the app's
 * streams with them. */
void hutch_pulse_relay_stop(HutchPulseRelay *relay);
