/* The X11 passthrough's undo for a sandbox whose hutch died (state.h). */
#pragma once

/* The cleanup type recorded once an untrusted cookie exists; its data is
 * "DISPLAY AUTH-ID". */
#define HUTCH_X11_CLEANUP "x11-cookie"

/* Revoke the untrusted cookie DATA names. Idempotent: a cookie already
 * revoked, or a server gone (and the cookie with it), leaves nothing to do. */
void hutch_x11_cleanup(const char *data);
