/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The checks that keep the panel to its user (see hutch(1), PANEL):
 *
 *   connection   the client socket must be the user's (peer-uid.h);
 *   Host         must be 127.0.0.1:PORT exactly, so a page of another
 *                name that resolves to 127.0.0.1 (DNS rebinding) is refused;
 *   login        a random secret in the first URL, good once, traded for
 *                a session cookie (HttpOnly, SameSite=Strict);
 *   every POST   the session, an Origin of http://127.0.0.1:PORT and the
 *                session's CSRF token: cookies are shared by every port
 *                of 127.0.0.1, so another local site could send them;
 *                only a page of ours knows the token.
 *
 * Nothing changes state on a GET. */
#pragma once
#include <glib.h>

/* 32 random bytes from the kernel, in hex. */
char *hutch_panel_token_new(GError **error);
/* Compare two tokens in time that does not depend on where they differ;
 * NULL never matches. */
gboolean hutch_panel_token_equal(const char *a, const char *b);
/* The value of cookie NAME in a Cookie header; NULL when absent. */
char *hutch_panel_cookie(const char *header, const char *name);
/* HOST (the Host header) is exactly 127.0.0.1:PORT. */
gboolean hutch_panel_host_ok(const char *host, guint port);
/* ORIGIN (the Origin header) is exactly http://127.0.0.1:PORT. */
gboolean hutch_panel_origin_ok(const char *origin, guint port);
