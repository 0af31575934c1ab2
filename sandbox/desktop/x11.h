/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The X11 passthrough: its undo for a sandbox whose hutch died (state.h),
 * and what hutch check asks of the X server. */
#pragma once
#include <glib.h>

/* The cleanup type recorded once an untrusted cookie exists; its data is
 * "DISPLAY AUTH-ID". */
#define HUTCH_X11_CLEANUP "x11-cookie"

/* Revoke the untrusted cookie DATA names. Idempotent: a cookie already
 * revoked, or a server gone (and the cookie with it), leaves nothing to do. */
void hutch_x11_cleanup(const char *data);

/* Whether the X server of DISPLAY offers the SECURITY extension; FALSE
 * with error when it cannot be asked. */
gboolean hutch_x11_offers_security(const char *display, gboolean *offered, GError **error);
