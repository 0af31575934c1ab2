/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the X11 passthrough asks of the user's X server, through libX11,
 * libXext and libXau: the code lives in hutch-x11.so, loaded only when a
 * sandbox is granted x11 (or hutch check asks), and desktop-module.c
 * defines these names as calls into it. */
#pragma once
#include "plan.h"
#include "x11-display.h"

/* An untrusted cookie is made with this expiry: the server revokes it
 * itself this many seconds after the last client using it has gone. hutch
 * keeps one connection made with the cookie for the sandbox's life, so it
 * never expires early, and whenever hutch dies (even before it could note
 * the cookie anywhere) it expires once the app's connections are gone. */
#define HUTCH_X11_COOKIE_EXPIRY_S 10

/* untrusted, a dry run: what the plan task below would check, done now;
 * nothing is made. */
gboolean hutch_x11_plan_untrusted(HutchPlan *plan, const char *name, const HutchX11Display *d,
                                  const char *xauth, GError **error);

/* untrusted, a launch: the sandbox's cookie, made by a plan task while the
 * sandbox is built (x11.c starts it; hutch-x11.so is loaded there, on the
 * task's thread, so neither loading it nor the server's round trips hold
 * up the plan). */
typedef struct {
  char *name;    /* DISPLAY */
  char *number;  /* its display number */
  char *xauth;   /* the cookie file the plan made and bound */
  gpointer made; /* hutch-x11.so's connections and cookie id, once made */
} HutchX11Untrusted;

/* The task: connect with the user's cookie, refuse a server that cannot
 * make the app untrusted, make the cookie, connect with it (kept open for
 * the sandbox's life) and write it to U->xauth. */
gboolean hutch_x11_make_untrusted(HutchX11Untrusted *u, GError **error);
/* At exit: revoke the cookie over the connection kept for it, close both
 * connections, forget U->made. */
void hutch_x11_revoke_untrusted(HutchX11Untrusted *u);

/* trusted: check the server admits the user and copy the user's cookie to
 * XAUTH (NULL: a dry run). *HAVE_COOKIE is FALSE when the user has none
 * (the server admits them by other means). */
gboolean hutch_x11_plan_trusted(HutchPlan *plan, const char *name, const HutchX11Display *d,
                                const char *xauth, gboolean *have_cookie, GError **error);

/* nested with the host's network: the sandbox reaches the user's server
 * through its abstract socket, so refuse when that server admits the user
 * without a cookie. */
gboolean hutch_x11_refuse_cookieless(HutchPlan *plan, const char *name, const HutchX11Display *d,
                                     GError **error);

/* For hutch check: whether the server of DISPLAY offers SECURITY, and the
 * access-list entry that admits the user without a cookie (NULL: none). */
gboolean hutch_x11_probe(const char *display, gboolean *security, char **cookieless,
                         GError **error);
