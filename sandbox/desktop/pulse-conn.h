/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One relayed sound-server connection, as bytes in and bytes out: the
 * native protocol's framing in both directions, each control packet the
 * app sends put to the filter (pulse-filter.h). No I/O, so the fuzzer
 * (tests/fuzz/fuzz-pulse.c) drives exactly what the relay runs. */
#pragma once
#include "pulse-server.h"
#include <glib.h>

typedef struct HutchPulseConn HutchPulseConn;

HutchPulseConn *hutch_pulse_conn_new(const guint8 cookie[HUTCH_PULSE_COOKIE_LENGTH],
                                     gboolean allow_record);
void hutch_pulse_conn_free(HutchPulseConn *conn);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HutchPulseConn, hutch_pulse_conn_free)

/* Bytes the app sent: what the filter passes is appended to TO_SERVER, the
 * errors that answer refused commands to TO_CLIENT (between the server's
 * frames). FALSE: the app broke the protocol; close the connection. */
gboolean hutch_pulse_conn_from_client(HutchPulseConn *conn, const guint8 *data, gsize len,
                                      GByteArray *to_server, GByteArray *to_client);
/* Bytes the server sent, appended to TO_CLIENT. FALSE: a frame no server
 * sends without shared memory; close the connection. */
gboolean hutch_pulse_conn_from_server(HutchPulseConn *conn, const guint8 *data, gsize len,
                                      GByteArray *to_client);
/* Bytes of errors for the app held back until the server's current frame
 * is through (they count against what an app may leave unread). */
gsize hutch_pulse_conn_held(const HutchPulseConn *conn);
/* Nothing reaches the server before the app's AUTH, so the first bytes of
 * TO_SERVER are always that frame: its descriptor and the packet. */
#define HUTCH_PULSE_AUTH_FRAME (20 + 276)
