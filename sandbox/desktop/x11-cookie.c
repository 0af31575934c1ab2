/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The cookie the app gets (in hutch-x11.so: libX11, libXext, libXau,
 * libxcb).
 *
 * untrusted: the SECURITY extension makes a fresh cookie whose clients
 * are untrusted: they draw their own windows, but cannot read other
 * clients' windows, fake input (XTEST) or use most other extensions. It is
 * made with an expiry (HUTCH_X11_COOKIE_EXPIRY_S), and hutch at once opens
 * one connection with it and keeps that open for the sandbox's life: the
 * server then revokes it by itself once hutch and the app are gone,
 * however hutch ends. At a normal exit hutch revokes it at once.
 * trusted: the user's own cookie for this display, copied.
 *
 * The cookie file holds one FamilyWild entry, so the hostname inside
 * (which --hostname may change) does not matter to Xlib's lookup.
 *
 * The connection with the user's cookie is made while planning, so that
 * a refusal is one clear line; the untrusted cookie is made by a plan task
 * (plan-tasks.h) while the sandbox is built: the plan creates the empty
 * cookie file and binds it, the task writes the cookie into it, and the
 * app starts once it is there. */
#include "x11-xserver.h"
#include "error.h"
#include "plan-tasks.h"
#include "runtime-files.h"
#include "unix-socket.h"
#include "x11-access.h"
#include "x11-xlib.h"
#include <X11/extensions/security.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xcb/xcb.h>

/* OPEN_FLAGS: O_CREAT | O_EXCL for a new file, O_TRUNC for the one the
 * plan made and bound already. */
static gboolean
write_xauthority(const char *path, int open_flags, const char *number, const char *data,
                 unsigned short len, GError **error)
{
  int fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC | open_flags, 0600);
  FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
  if (!f) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "x11: cannot create %s: %s", path,
                g_strerror(errno));
    if (fd >= 0)
      close(fd);
    return FALSE;
  }
  Xauth entry = {
      .family = FamilyWild,
      .address = (char *)"",
      .number = (char *)number,
      .number_length = (unsigned short)strlen(number),
      .name = (char *)HUTCH_X_COOKIE_NAME,
      .name_length = sizeof(HUTCH_X_COOKIE_NAME) - 1,
      .data = (char *)data,
      .data_length = len,
  };
  gboolean ok = XauWriteAuth(f, &entry) == 1;
  ok = (fclose(f) == 0) && ok;
  if (!ok)
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "x11: cannot write %s: %s", path,
                g_strerror(errno));
  return ok;
}

/* What an access-list entry (as xhost writes it) means, and how to remove it. */
static void
describe_entry(const char *entry, char **what, char **fix)
{
  if (g_str_equal(entry, "+")) {
    *what = g_strdup("its access control is disabled (xhost +)");
    *fix = g_strdup("xhost -");
  } else {
    *what = g_strdup_printf("its access list admits you without one (xhost +%s)", entry);
    *fix = g_strdup_printf("xhost -%s", entry);
  }
}

static gboolean
refuse_if_cookieless(HutchXConn *conn, gboolean host_net, const char *consequence,
                     const char *choice, GError **error)
{
  g_autofree char *entry = NULL;
  if (!hutch_x_cookieless_entry(conn, host_net, &entry, error))
    return FALSE;
  if (!entry)
    return TRUE;
  g_autofree char *what = NULL, *fix = NULL;
  describe_entry(entry, &what, &fix);
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "x11: the X server at DISPLAY=%s needs no cookie from your clients: %s, so %s; "
              "remove the entry with '%s', or %s",
              conn->name, what, consequence, fix, choice);
  return FALSE;
}

#define UNTRUSTED_IS_MOOT "an untrusted cookie would protect nothing"
#define OTHER_MODES "choose --x11 nested (x11=nested in a profile)"

static gboolean
find_security_extension(HutchXConn *conn, GError **error)
{
  int major, minor;
  HutchXGuard *guard =
      hutch_x_guard_start(ConnectionNumber(conn->dpy), conn->name, "QueryExtension");
  Status present = XSecurityQueryExtension(conn->dpy, &major, &minor);
  if (!hutch_x_guard_end(guard, error))
    return FALSE;
  if (present)
    return TRUE;
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "x11: the X server at DISPLAY=%s lacks the SECURITY extension, so it cannot "
              "give the app an untrusted cookie; start the server with +extension SECURITY, "
              "choose --x11 nested (x11=nested in a profile), or --x11 trusted if the app may "
              "see and control your whole display",
              conn->name);
  return FALSE;
}

/* The untrusted cookie of one sandbox. The connection made with it stays
 * open until the sandbox ends: it keeps the cookie from expiring, and the
 * server from resetting (which forgets every cookie SECURITY made). */
typedef struct {
  char *name; /* DISPLAY */
  char *number;
  char *xauth;      /* the cookie file the plan made */
  HutchXConn *user; /* with the user's cookie, until the task is done */
  xcb_connection_t *kept;
  XID id; /* 0: none made */
} UntrustedCookie;

static void
untrusted_cookie_free(gpointer p)
{
  UntrustedCookie *c = p;
  hutch_x_close(c->user);
  if (c->kept)
    xcb_disconnect(c->kept);
  g_free(c->name);
  g_free(c->number);
  g_free(c->xauth);
  g_free(c);
}

static Xauth *
generate_untrusted(HutchXConn *conn, XID *id, GError **error)
{
  Xauth *in = XSecurityAllocXauth();
  in->name = (char *)HUTCH_X_COOKIE_NAME;
  in->name_length = sizeof(HUTCH_X_COOKIE_NAME) - 1;
  XSecurityAuthorizationAttributes attrs = {
      .timeout = HUTCH_X11_COOKIE_EXPIRY_S,
      .trust_level = XSecurityClientUntrusted,
  };
  HutchXGuard *guard =
      hutch_x_guard_start(ConnectionNumber(conn->dpy), conn->name, "SecurityGenerateAuthorization");
  hutch_x_trap_errors(conn);
  XSecurityAuthorization made = 0;
  Xauth *cookie = XSecurityGenerateAuthorization(
      conn->dpy, in, XSecurityTimeout | XSecurityTrustLevel, &attrs, &made);
  int x_error = hutch_x_untrap_errors(conn);
  XSecurityFreeXauth(in);
  if (!hutch_x_guard_end(guard, error) || x_error || !cookie || !cookie->data_length) {
    if (error && !*error)
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                  "x11: the X server at DISPLAY=%s refused to make an untrusted cookie (X error "
                  "%d)",
                  conn->name, x_error);
    if (cookie)
      XSecurityFreeXauth(cookie);
    return NULL;
  }
  *id = made;
  return cookie;
}

/* Connect with the new cookie through the display's socket. */
static xcb_connection_t *
connect_with_cookie(const char *name, const char *number, const Xauth *cookie, GError **error)
{
  g_autofree char *path = g_strdup_printf(HUTCH_X11_SOCKET_DIR "/X%s", number);
  int fd = hutch_unix_connect(path);
  if (fd < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "x11: cannot connect to the X server at DISPLAY=%s through %s: %s", name, path,
                g_strerror(errno));
    return NULL;
  }
  xcb_auth_info_t auth = {
      .namelen = sizeof(HUTCH_X_COOKIE_NAME) - 1,
      .name = (char *)HUTCH_X_COOKIE_NAME,
      .datalen = cookie->data_length,
      .data = cookie->data,
  };
  HutchXGuard *guard = hutch_x_guard_start(fd, name, "the connection setup with the new cookie");
  xcb_connection_t *c = xcb_connect_to_fd(fd, &auth); /* closes fd on failure */
  if (!hutch_x_guard_end(guard, error)) {
    xcb_disconnect(c);
    return NULL;
  }
  if (xcb_connection_has_error(c)) {
    xcb_disconnect(c);
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "x11: the X server at DISPLAY=%s refused the untrusted cookie it had just made",
                name);
    return NULL;
  }
  return c;
}

/* The plan task: refuse a server that needs no cookie, make the cookie,
 * connect with it, write it where the plan said. */
static gboolean
make_untrusted_cookie(gpointer data, GError **error)
{
  UntrustedCookie *c = data;
  /* SECURITY first: without it untrusted is impossible whatever the access
   * list says (Xwayland lacks it and admits the user by uid). */
  if (!find_security_extension(c->user, error) ||
      !refuse_if_cookieless(c->user, FALSE, UNTRUSTED_IS_MOOT, OTHER_MODES, error))
    return FALSE;
  Xauth *cookie = generate_untrusted(c->user, &c->id, error);
  if (!cookie)
    return FALSE;
  c->kept = connect_with_cookie(c->name, c->number, cookie, error);
  gboolean ok = c->kept && write_xauthority(c->xauth, O_TRUNC, c->number, cookie->data,
                                            (unsigned short)cookie->data_length, error);
  XSecurityFreeXauth(cookie);
  /* Only once connected with it: with no client left the server would
   * reset and forget it. */
  if (ok)
    hutch_x_close(g_steal_pointer(&c->user));
  return ok;
}

/* Revoke at once rather than in HUTCH_X11_COOKIE_EXPIRY_S. A server that
 * went away took the cookie with it; losing it never ends hutch, since the
 * app's exit status still matters. */
static void
revoke_cookie(HutchHostResource *res)
{
  UntrustedCookie *c = res->data;
  if (!c->id)
    return;
  g_autoptr(GError) err = NULL;
  g_autoptr(HutchXConn) conn =
      c->user ? g_steal_pointer(&c->user) : hutch_x_open(c->name, c->number, &err);
  if (conn && !conn->broken) {
    HutchXGuard *guard =
        hutch_x_guard_start(ConnectionNumber(conn->dpy), conn->name, "SecurityRevokeAuthorization");
    hutch_x_trap_errors(conn);
    XSecurityRevokeAuthorization(conn->dpy, c->id);
    int x_error = hutch_x_untrap_errors(conn);
    if (hutch_x_guard_end(guard, &err) && x_error)
      g_warning("x11: the X server refused to revoke cookie %lu (X error %d)", (unsigned long)c->id,
                x_error);
  }
  if (err && !g_str_has_prefix(err->message, "x11: cannot connect"))
    g_warning("%s; cookie %lu expires %d s after the app's last connection closes", err->message,
              (unsigned long)c->id, HUTCH_X11_COOKIE_EXPIRY_S);
  if (c->kept)
    xcb_disconnect(g_steal_pointer(&c->kept));
  c->id = 0;
}

gboolean
hutch_x11_plan_untrusted(HutchPlan *plan, const char *name, const HutchX11Display *d,
                         const char *xauth, GError **error)
{
  g_autoptr(HutchXConn) conn = hutch_x_open(name, d->number, error);
  if (!conn)
    return FALSE;
  if (!xauth) { /* a dry run: what the task would check, and nothing made */
    if (!find_security_extension(conn, error) ||
        !refuse_if_cookieless(conn, FALSE, UNTRUSTED_IS_MOOT, OTHER_MODES, error))
      return FALSE;
    hutch_plan_note(plan,
                    "x11: untrusted cookie from the SECURITY extension (made at launch, "
                    "revoked at exit, expiring %d s after its last client by itself)",
                    HUTCH_X11_COOKIE_EXPIRY_S);
    return TRUE;
  }
  if (!hutch_runtime_write(plan, "Xauthority", "", error))
    return FALSE;
  UntrustedCookie *c = g_new0(UntrustedCookie, 1);
  c->name = g_strdup(name);
  c->number = g_strdup(d->number);
  c->xauth = g_strdup(xauth);
  c->user = g_steal_pointer(&conn);
  hutch_plan_add_server_resource(plan, "untrusted X11 cookie", revoke_cookie, c,
                                 untrusted_cookie_free);
  hutch_plan_start_task(plan, make_untrusted_cookie, c);
  return TRUE;
}

gboolean
hutch_x11_plan_trusted(HutchPlan *plan, const char *name, const HutchX11Display *d,
                       const char *xauth, gboolean *have_cookie, GError **error)
{
  /* Only that the server admits the user; the app's connection is its own. */
  g_autoptr(HutchXConn) conn = hutch_x_open(name, d->number, error);
  if (!conn)
    return FALSE;
  g_autoptr(Xauth) auth = hutch_x_user_cookie(d->number);
  *have_cookie = auth != NULL;
  if (!auth) {
    hutch_plan_note(plan,
                    "x11: trusted, but %s holds no " HUTCH_X_COOKIE_NAME " for display :%s; the "
                    "server must admit the app by other means (xhost)",
                    XauFileName(), d->number);
    return TRUE;
  }
  hutch_plan_note(plan, "x11: trusted: a copy of your cookie for :%s from %s", d->number,
                  XauFileName());
  if (xauth)
    return write_xauthority(xauth, O_CREAT | O_EXCL, d->number, auth->data, auth->data_length,
                            error);
  return TRUE;
}

gboolean
hutch_x11_refuse_cookieless(HutchPlan *plan, const char *name, const HutchX11Display *d,
                            GError **error)
{
  g_autoptr(HutchXConn) conn = hutch_x_open(name, d->number, error);
  return conn && refuse_if_cookieless(conn, TRUE,
                                      "with network host the app could reach it through its "
                                      "abstract socket as a trusted client",
                                      "drop network host", error);
}

gboolean
hutch_x11_probe(const char *display, gboolean *security, char **cookieless, GError **error)
{
  g_auto(HutchX11Display) d = {0};
  if (!hutch_x11_parse_display(display, &d, error))
    return FALSE;
  g_autoptr(HutchXConn) conn = hutch_x_open(display, d.number, error);
  if (!conn)
    return FALSE;
  int major, minor;
  HutchXGuard *guard =
      hutch_x_guard_start(ConnectionNumber(conn->dpy), conn->name, "QueryExtension");
  *security = XSecurityQueryExtension(conn->dpy, &major, &minor) != 0;
  if (!hutch_x_guard_end(guard, error))
    return FALSE;
  return hutch_x_cookieless_entry(conn, FALSE, cookieless, error);
}
