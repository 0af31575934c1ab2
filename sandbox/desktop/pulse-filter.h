/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The audio relay's policy (pulse-filter.c): what a sandboxed app may ask
 * of the user's sound server, one decision per command it sends, and the
 * streams it owns, learned from the server's replies. Pure: no I/O. */
#pragma once
#include "pulse-server.h"
#include <glib.h>

/* Error codes of the native protocol (pa_error_code_t) hutch answers. */
#define HUTCH_PULSE_ERR_ACCESS 1
#define HUTCH_PULSE_ERR_NOENTITY 5
#define HUTCH_PULSE_ERR_VERSION 17

typedef enum {
  HUTCH_PULSE_PASS,   /* forward the packet (AUTH rewritten in place) */
  HUTCH_PULSE_REFUSE, /* answer the app with an error; forward nothing */
  HUTCH_PULSE_BREAK,  /* the app broke the protocol: close the connection */
} HutchPulseVerdict;

typedef struct HutchPulseFilter HutchPulseFilter;

/* COOKIE: the user's, put into the app's AUTH in place of whatever it sent.
 * ALLOW_RECORD: the microphone permission. */
HutchPulseFilter *hutch_pulse_filter_new(const guint8 cookie[HUTCH_PULSE_COOKIE_LENGTH],
                                         gboolean allow_record);
void hutch_pulse_filter_free(HutchPulseFilter *filter);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HutchPulseFilter, hutch_pulse_filter_free)

/* A control packet from the app: HEAD is its first LEN bytes (at most
 * HUTCH_PULSE_FILTER_HEAD; the decision never needs more), WHOLE its full
 * length. On REFUSE, *TAG and *CODE are the error to answer with. */
#define HUTCH_PULSE_FILTER_HEAD 276 /* an AUTH packet, whole */
HutchPulseVerdict hutch_pulse_filter_client(HutchPulseFilter *filter, guint8 *head, gsize len,
                                            gsize whole, guint32 *tag, guint32 *code);
/* Whether the app has authenticated: before that it may send no audio. */
gboolean hutch_pulse_filter_authenticated(const HutchPulseFilter *filter);
/* The head of a control packet from the server: replies that name the
 * app's new streams and client, and the end of its streams. */
void hutch_pulse_filter_server(HutchPulseFilter *filter, const guint8 *head, gsize len);

/* What the policy lets an app do, in one sentence per line, for --dry-run
 * and the manual. */
char *hutch_pulse_filter_describe(gboolean allow_record);
