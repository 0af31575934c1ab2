/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Xlib as the X11 passthrough uses it (in hutch-x11.so): every wait on the
 * server is bounded, X errors are caught instead of printed, and a server
 * that goes away never ends hutch (Xlib's default is to print and exit).
 *
 * Xlib waits for the server without end. XOpenDisplay therefore runs on a
 * thread of its own, abandoned when the server does not answer in time;
 * every later wait on an open connection runs under a guard that shuts the
 * socket down at the deadline, which makes the call under way return. */
#pragma once
#include <glib.h>
#include <X11/Xauth.h>
#include <X11/Xlib.h>

#define HUTCH_X_TIMEOUT_S 5
#define HUTCH_X_COOKIE_NAME "MIT-MAGIC-COOKIE-1"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Xauth, XauDisposeAuth)

typedef struct {
  Display *dpy;
  char *name;      /* DISPLAY, for messages */
  gboolean broken; /* the connection was lost, or a guard shut it down */
} HutchXConn;

/* The user's cookie for display NUMBER as Xlib itself picks it (NULL:
 * none; the server may admit the user by other means). */
Xauth *hutch_x_user_cookie(const char *number);

/* Connect to display NAME (:NUMBER) as the user's own clients do. A
 * refusal says the server's reason (which libxcb writes to fd 2, so fd 2
 * points at a pipe meanwhile: never call this while another thread that
 * shares this one's file descriptors may fork, as the sandbox's clone does
 * beside a plan task; x11-cookie.c's thread has descriptors of its own),
 * DISPLAY and the Xauthority file. */
HutchXConn *hutch_x_open(const char *name, const char *number, GError **error);
/* Close the connection (bounded: closing waits for the server). */
void hutch_x_close(HutchXConn *conn);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HutchXConn, hutch_x_close)

/* A deadline of HUTCH_X_TIMEOUT_S for the waits on socket FD until
 * hutch_x_guard_end: past it the socket is shut down, so the call under way
 * fails instead of waiting on. NAME (DISPLAY) and DOING (the request) are
 * for the error. */
typedef struct HutchXGuard HutchXGuard;
HutchXGuard *hutch_x_guard_start(int fd, const char *name, const char *doing);
/* FALSE, with the error, when the deadline passed. */
gboolean hutch_x_guard_end(HutchXGuard *guard, GError **error);
/* End the calling thread's watchdog (made by its first guard); a thread
 * that ends before the process does calls this last. */
void hutch_x_watchdog_stop(void);

/* Catch the X errors of this thread's requests on CONN (Xlib reports them
 * to one process-wide handler) until hutch_x_untrap_errors, which waits
 * for the server to answer every request sent and returns the first error
 * code (0: none). */
void hutch_x_trap_errors(HutchXConn *conn);
int hutch_x_untrap_errors(HutchXConn *conn);
