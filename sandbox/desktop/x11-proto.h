/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A small X11 protocol client: the few requests the X11 passthrough makes
 * (connection setup, QueryExtension, SECURITY's GenerateAuthorization and
 * RevokeAuthorization), spoken over the display's unix socket. Loading
 * libX11/libxcb/libXext and letting XOpenDisplay digest the whole setup
 * reply cost about 1.5 ms a launch; none of that is needed to ask for one
 * cookie. Every read waits at most HUTCH_X_TIMEOUT_S. */
#pragma once
#include <glib.h>

#define HUTCH_X_TIMEOUT_S 5

/* X errors the server sent for our requests: the code is the X error code. */
#define HUTCH_X_ERROR (hutch_x_error_quark())
GQuark hutch_x_error_quark(void);

typedef struct {
  const char *name;      /* the DISPLAY value, for messages */
  const char *number;    /* N of :N; the socket is HUTCH_X11_SOCKET_DIR/XN */
  const char *auth_file; /* where the cookie was looked up, for messages */
  const char *cookie;    /* MIT-MAGIC-COOKIE-1 data, or NULL: none (xhost) */
  gsize cookie_len;
} HutchXServer;

typedef struct HutchXConn HutchXConn;

/* Connect and do the connection setup (this machine's byte order,
 * protocol 11.0). A refusal says the server's reason, DISPLAY and the
 * Xauthority file. */
HutchXConn *hutch_x_connect(const HutchXServer *server, GError **error);
void hutch_x_close(HutchXConn *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HutchXConn, hutch_x_close)

/* TRUE once the server closed the connection (it exited or reset). */
gboolean hutch_x_server_gone(const HutchXConn *c);

/* The major opcode of extension NAME in *major, or *present = FALSE. */
gboolean hutch_x_query_extension(HutchXConn *c, const char *name, gboolean *present, guint8 *major,
                                 GError **error);

/* SecurityGenerateAuthorization (SECURITY's opcode MAJOR): a new
 * MIT-MAGIC-COOKIE-1 made by the server, for untrusted clients, with no
 * timeout (it lives until revoked or the server resets). */
gboolean hutch_x_security_generate_untrusted(HutchXConn *c, guint8 major, guint32 *id,
                                             GBytes **cookie, GError **error);

/* SecurityRevokeAuthorization of ID, then a round trip so that the
 * server's X error for it, if any, is seen. */
gboolean hutch_x_security_revoke(HutchXConn *c, guint8 major, guint32 id, GError **error);
