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
 * however hutch ends. At a normal exit hutch revokes it at once, over the
 * connection with the user's cookie, which it keeps open as well.
 * trusted: the user's own cookie for this display, copied.
 *
 * The cookie file holds one FamilyWild entry, so the hostname inside
 * (which --hostname may change) does not matter to Xlib's lookup.
 *
 * The untrusted cookie is made by a plan task (x11.c starts it) while the
 * sandbox is built: the plan creates the empty cookie file and binds it,
 * the task connects, checks, makes the cookie and writes it into the file,
 * and the app starts once it is there. A refusal is the task's error, one
 * line like any other. */
#include "x11-xserver.h"
#include "error.h"
#include "unix-socket.h"
#include "x11-access.h"
#include "x11-xlib.h"
#include <X11/extensions/security.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
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

/* What one sandbox's untrusted cookie holds of the server: the connection
 * made with the cookie, open until the sandbox ends (it keeps the cookie
 * from expiring, and the server from resetting, which forgets every cookie
 * SECURITY made), and the user's own, kept too, so that the revoke at exit
 * needs no new connection. */
typedef struct {
  HutchXConn *user;
  xcb_connection_t *kept;
  XID id; /* 0: none made */
} Made;

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

/* Connect, refuse a server that needs no cookie, make the cookie, connect
 * with it, write it where the plan said. */
static gboolean
make_cookie(const HutchX11Untrusted *u, Made *m, GError **error)
{
  m->user = hutch_x_open(u->name, u->number, error);
  /* SECURITY first: without it untrusted is impossible whatever the access
   * list says (Xwayland lacks it and admits the user by uid). */
  if (!m->user || !find_security_extension(m->user, error) ||
      !refuse_if_cookieless(m->user, FALSE, UNTRUSTED_IS_MOOT, OTHER_MODES, error))
    return FALSE;
  Xauth *cookie = generate_untrusted(m->user, &m->id, error);
  if (!cookie)
    return FALSE;
  m->kept = connect_with_cookie(u->name, u->number, cookie, error);
  gboolean ok = m->kept && write_xauthority(u->xauth, O_TRUNC, u->number, cookie->data,
                                            (unsigned short)cookie->data_length, error);
  XSecurityFreeXauth(cookie);
  return ok;
}

/* Revoke at once rather than in HUTCH_X11_COOKIE_EXPIRY_S. A server that
 * went away took the cookie with it; losing it never ends hutch, since the
 * app's exit status still matters. */
static void
revoke_made(Made *m)
{
  if (!m->id || !m->user || m->user->broken)
    return;
  g_autoptr(GError) err = NULL;
  HutchXGuard *guard = hutch_x_guard_start(ConnectionNumber(m->user->dpy), m->user->name,
                                           "SecurityRevokeAuthorization");
  hutch_x_trap_errors(m->user);
  XSecurityRevokeAuthorization(m->user->dpy, m->id);
  int x_error = hutch_x_untrap_errors(m->user);
  if (!hutch_x_guard_end(guard, &err))
    g_warning("%s; cookie %lu expires %d s after the app's last connection closes", err->message,
              (unsigned long)m->id, HUTCH_X11_COOKIE_EXPIRY_S);
  else if (x_error)
    g_warning("x11: the X server refused to revoke cookie %lu (X error %d)", (unsigned long)m->id,
              x_error);
}

/* The connections live on a thread of their own, with a file descriptor
 * table of its own (unshare(CLONE_FILES)): libxcb writes a refusal's reason
 * to fd 2, which hutch_x_open points at a pipe meanwhile, and this runs
 * while the main thread forks the sandbox and starts helpers, which must
 * inherit the real fd 2. The X sockets, in that table only, are never
 * inherited by them either. The thread makes the cookie, then waits to
 * revoke it when the sandbox ends. */
typedef enum { AGENT_WORKING, AGENT_MADE, AGENT_FAILED } AgentState;

typedef struct {
  const HutchX11Untrusted *u;
  GMutex lock;
  GCond cond;
  AgentState state;
  gboolean end; /* the sandbox ended: revoke, close, return */
  GError *error;
  GThread *thread;
} Agent;

static void
agent_report(Agent *a, AgentState state, GError *error)
{
  g_mutex_lock(&a->lock);
  a->state = state;
  a->error = error;
  g_cond_broadcast(&a->cond);
  g_mutex_unlock(&a->lock);
}

static gpointer
agent_main(gpointer p)
{
  Agent *a = p;
  if (unshare(CLONE_FILES) < 0) {
    agent_report(a, AGENT_FAILED,
                 g_error_new(HUTCH_ERROR, HUTCH_ERROR_HOST,
                             "x11: cannot give the X11 thread file descriptors of its own: %s",
                             g_strerror(errno)));
    return NULL;
  }
  /* Its copies of the main thread's descriptors would hold pipes open
   * that the launch waits to see closed. */
  syscall(SYS_close_range, 3, ~0U, 0);
  Made m = {0};
  GError *error = NULL;
  gboolean ok = make_cookie(a->u, &m, &error);
  agent_report(a, ok ? AGENT_MADE : AGENT_FAILED, error);
  g_mutex_lock(&a->lock);
  while (ok && !a->end)
    g_cond_wait(&a->cond, &a->lock);
  g_mutex_unlock(&a->lock);
  revoke_made(&m); /* also a cookie made before a later step failed */
  if (m.kept)
    xcb_disconnect(m.kept);
  hutch_x_close(m.user);
  hutch_x_watchdog_stop();
  return NULL;
}

gboolean
hutch_x11_make_untrusted(HutchX11Untrusted *u, GError **error)
{
  Agent *a = g_new0(Agent, 1);
  g_mutex_init(&a->lock);
  g_cond_init(&a->cond);
  a->u = u;
  u->made = a;
  a->thread = g_thread_try_new("hutch-x11", agent_main, a, error);
  if (!a->thread) {
    g_prefix_error(error, "x11: cannot start the X11 thread: ");
    return FALSE;
  }
  g_mutex_lock(&a->lock);
  while (a->state == AGENT_WORKING)
    g_cond_wait(&a->cond, &a->lock);
  g_mutex_unlock(&a->lock);
  if (a->state == AGENT_MADE)
    return TRUE;
  g_propagate_error(error, g_steal_pointer(&a->error));
  return FALSE;
}

void
hutch_x11_revoke_untrusted(HutchX11Untrusted *u)
{
  Agent *a = g_steal_pointer(&u->made);
  if (!a)
    return;
  if (a->thread) {
    g_mutex_lock(&a->lock);
    a->end = TRUE;
    g_cond_broadcast(&a->cond);
    g_mutex_unlock(&a->lock);
    g_thread_join(a->thread);
  }
  g_clear_error(&a->error);
  g_mutex_clear(&a->lock);
  g_cond_clear(&a->cond);
  g_free(a);
}

/* A dry run: what the task would check, and nothing made. */
gboolean
hutch_x11_plan_untrusted(HutchPlan *plan, const char *name, const HutchX11Display *d,
                         const char *xauth, GError **error)
{
  g_assert(!xauth);
  g_autoptr(HutchXConn) conn = hutch_x_open(name, d->number, error);
  if (!conn || !find_security_extension(conn, error) ||
      !refuse_if_cookieless(conn, FALSE, UNTRUSTED_IS_MOOT, OTHER_MODES, error))
    return FALSE;
  hutch_plan_note(plan,
                  "x11: untrusted cookie from the SECURITY extension (made at launch, "
                  "revoked at exit, expiring %d s after its last client by itself)",
                  HUTCH_X11_COOKIE_EXPIRY_S);
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
