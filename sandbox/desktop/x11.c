/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* X11 passthrough (`x11`): the display's socket alone, and one cookie for it.
 *
 * untrusted (default): the SECURITY extension makes a fresh cookie whose
 * clients are untrusted: they draw their own windows, but cannot read other
 * clients' windows, fake input (XTEST) or use most other extensions. It is
 * made with timeout 0, which means it lives until revoked or the server
 * resets; hutch revokes it when the sandbox ends.
 * trusted: the user's own cookie for this display, copied into a one-entry
 * file (GLX and MIT-SHM need a trusted client).
 *
 * The cookie file holds one FamilyWild entry, so the hostname inside (which
 * --hostname may change) does not matter to Xlib's lookup.
 *
 * Both modes connect with the user's cookie, so a server that is down or
 * refuses the user fails the launch. The untrusted cookie is made by a plan
 * task (plan-tasks.h) while the sandbox is built: the plan creates the
 * empty cookie file and binds it, the task writes the cookie into it, and
 * the app starts once it is there. The talking is x11-proto.c's; libXau
 * only finds and writes cookies. */
#include "config.h"
#include "error.h"
#include "file-read.h"
#include "desktop.h"
#include "plan-tasks.h"
#include "runtime-files.h"
#include "state.h"
#include "x11.h"
#include "x11-display.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if HAVE_X11
#include "x11-proto.h"
#include <X11/Xauth.h>
#endif

#define WHY "x11"
#define COOKIE_NAME "MIT-MAGIC-COOKIE-1"
#define SOCKET_DIR HUTCH_X11_SOCKET_DIR

#if HAVE_X11

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Xauth, XauDisposeAuth)

/* The user's cookie for this display, as Xlib itself would pick it (NULL:
 * none; the server may admit by other means, such as xhost). */
static Xauth *
find_user_cookie(const char *number)
{
  char host[256] = "";
  gethostname(host, sizeof(host) - 1);
  char *types[] = {(char *)COOKIE_NAME};
  int type_lens[] = {sizeof(COOKIE_NAME) - 1};
  return XauGetBestAuthByAddr(FamilyLocal, (unsigned short)strlen(host), host,
                              (unsigned short)strlen(number), number, 1, types, type_lens);
}

/* Connect as the user's own clients do: with COOKIE, or with none. */
static HutchXConn *
connect_as_user(const char *name, const char *number, const Xauth *cookie, GError **error)
{
  HutchXServer server = {
      .name = name,
      .number = number,
      .auth_file = XauFileName(),
      .cookie = cookie ? cookie->data : NULL,
      .cookie_len = cookie ? cookie->data_length : 0,
  };
  return hutch_x_connect(&server, error);
}

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
      .name = (char *)COOKIE_NAME,
      .name_length = sizeof(COOKIE_NAME) - 1,
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

/* The connection that made the cookie stays open until the sandbox ends: a
 * server whose last client leaves resets, and a reset forgets every cookie
 * the SECURITY extension made. Closing it after revoking then costs nothing.
 * What the task needs comes with it; conn and id are set once it is made. */
typedef struct {
  char *name; /* DISPLAY */
  char *number;
  char *xauth; /* the cookie file the plan made */
  char *runtime_dir;
  Xauth *user_cookie;
  HutchXConn *conn;
  guint8 security;
  guint32 id; /* 0: none made */
} UntrustedCookie;

static void
untrusted_cookie_free(gpointer p)
{
  UntrustedCookie *c = p;
  hutch_x_close(c->conn);
  if (c->user_cookie)
    XauDisposeAuth(c->user_cookie);
  g_free(c->name);
  g_free(c->number);
  g_free(c->xauth);
  g_free(c->runtime_dir);
  g_free(c);
}

/* A server that went away took the cookie with it: nothing to say then.
 * Losing it never ends hutch, since the app's exit status still matters. */
static void
revoke_cookie(HutchHostResource *res)
{
  UntrustedCookie *c = res->data;
  if (!c->conn || !c->id)
    return;
  g_autoptr(GError) err = NULL;
  if (!hutch_x_security_revoke(c->conn, c->security, c->id, &err)) {
    if (err->domain == HUTCH_X_ERROR)
      g_warning("x11: the X server refused to revoke cookie %u (X error %d)", c->id, err->code);
    else if (!hutch_x_server_gone(c->conn))
      g_warning("%s; cookie %u stays valid until the server resets", err->message, c->id);
  }
  hutch_x_close(c->conn);
  c->conn = NULL;
}

static gboolean
find_security_extension(HutchXConn *conn, const char *name, guint8 *major, GError **error)
{
  gboolean present;
  if (!hutch_x_query_extension(conn, "SECURITY", &present, major, error))
    return FALSE;
  if (present)
    return TRUE;
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "x11: the X server at DISPLAY=%s lacks the SECURITY extension, so it cannot "
              "give the app an untrusted cookie; start the server with +extension SECURITY, "
              "or grant trusted access with --x11 trusted (x11=trusted in a profile) if the app "
              "may see and control your whole display",
              name);
  return FALSE;
}

static gboolean
generate_untrusted(HutchXConn *conn, guint8 security, guint32 *id, GBytes **cookie, GError **error)
{
  g_autoptr(GError) err = NULL;
  if (hutch_x_security_generate_untrusted(conn, security, id, cookie, &err))
    return TRUE;
  if (err->domain == HUTCH_X_ERROR)
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "x11: the X server refused to make an untrusted cookie (X error %d)", err->code);
  else
    g_propagate_error(error, g_steal_pointer(&err));
  return FALSE;
}

/* The plan task: connect, make the cookie, write it where the plan said. */
static gboolean
make_untrusted_cookie(gpointer data, GError **error)
{
  UntrustedCookie *c = data;
  c->conn = connect_as_user(c->name, c->number, c->user_cookie, error);
  g_autoptr(GBytes) cookie = NULL;
  guint32 id;
  if (!c->conn || !find_security_extension(c->conn, c->name, &c->security, error) ||
      !generate_untrusted(c->conn, c->security, &id, &cookie, error))
    return FALSE;
  c->id = id;
  /* The id exists only now; should hutch die, the next hutch revokes it. */
  g_autofree char *orphan = g_strdup_printf("%s %u", c->name, id);
  if (!hutch_state_add_cleanup(c->runtime_dir, HUTCH_X11_CLEANUP, orphan, error))
    return FALSE;
  gsize len;
  const char *bytes = g_bytes_get_data(cookie, &len);
  return write_xauthority(c->xauth, O_TRUNC, c->number, bytes, (unsigned short)len, error);
}

/* A dry run checks the server could make one, and makes none. */
static gboolean
check_untrusted(HutchPlan *plan, const char *name, const HutchX11Display *d, GError **error)
{
  g_autoptr(Xauth) user_cookie = find_user_cookie(d->number);
  g_autoptr(HutchXConn) conn = connect_as_user(name, d->number, user_cookie, error);
  guint8 security;
  if (!conn || !find_security_extension(conn, name, &security, error))
    return FALSE;
  hutch_plan_note(plan, "x11: untrusted cookie from the SECURITY extension (made at launch, "
                        "revoked at exit)");
  return TRUE;
}

static gboolean
plan_untrusted(HutchPlan *plan, const char *name, const HutchX11Display *d, const char *xauth,
               GError **error)
{
  if (!xauth)
    return check_untrusted(plan, name, d, error);
  if (!hutch_runtime_write(plan, "Xauthority", "", error))
    return FALSE;
  UntrustedCookie *c = g_new0(UntrustedCookie, 1);
  c->name = g_strdup(name);
  c->number = g_strdup(d->number);
  c->xauth = g_strdup(xauth);
  c->runtime_dir = g_strdup(plan->runtime_dir);
  c->user_cookie = find_user_cookie(d->number);
  hutch_plan_add_server_resource(plan, "untrusted X11 cookie", revoke_cookie, c,
                                 untrusted_cookie_free);
  hutch_plan_start_task(plan, make_untrusted_cookie, c);
  return TRUE;
}

static gboolean
plan_trusted(HutchPlan *plan, const char *name, const HutchX11Display *d, const char *xauth,
             gboolean *have_cookie, GError **error)
{
  g_autoptr(Xauth) auth = find_user_cookie(d->number);
  /* Only that the server admits us; the app's own connection is its own. */
  g_autoptr(HutchXConn) conn = connect_as_user(name, d->number, auth, error);
  if (!conn)
    return FALSE;
  *have_cookie = auth != NULL;
  if (!auth) {
    hutch_plan_note(plan,
                    "x11: trusted, but %s holds no " COOKIE_NAME " for display :%s; the "
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

static gboolean
plan_cookie(HutchPlan *plan, const char *name, const HutchX11Display *d, gboolean *have_cookie,
            GError **error)
{
  g_autofree char *xauth = hutch_runtime_file(plan, "Xauthority");
  *have_cookie = TRUE;
  if (plan->policy->x11_mode == HUTCH_X11_TRUSTED)
    return plan_trusted(plan, name, d, xauth, have_cookie, error);
  return plan_untrusted(plan, name, d, xauth, error);
}

void
hutch_x11_cleanup(const char *data)
{
  const char *space = strrchr(data, ' ');
  if (!space)
    return;
  g_autofree char *name = g_strndup(data, space - data);
  guint64 id = g_ascii_strtoull(space + 1, NULL, 10);
  g_auto(HutchX11Display) d = {0};
  if (id == 0 || id > G_MAXUINT32 || !hutch_x11_parse_display(name, &d, NULL))
    return;
  g_autoptr(Xauth) cookie = find_user_cookie(d.number);
  g_autoptr(HutchXConn) conn = connect_as_user(name, d.number, cookie, NULL);
  guint8 security;
  if (conn && find_security_extension(conn, name, &security, NULL))
    hutch_x_security_revoke(conn, security, (guint32)id, NULL); /* gone already: an error */
}

gboolean
hutch_x11_offers_security(const char *display, gboolean *offered, GError **error)
{
  g_auto(HutchX11Display) d = {0};
  if (!hutch_x11_parse_display(display, &d, error))
    return FALSE;
  g_autoptr(Xauth) cookie = find_user_cookie(d.number);
  g_autoptr(HutchXConn) conn = connect_as_user(display, d.number, cookie, error);
  guint8 major;
  return conn && hutch_x_query_extension(conn, "SECURITY", offered, &major, error);
}

#else

void
hutch_x11_cleanup(const char *data)
{
}

gboolean
hutch_x11_offers_security(const char *display, gboolean *offered, GError **error)
{
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "this hutch was built without libXau");
  return FALSE;
}

static gboolean
plan_cookie(HutchPlan *plan, const char *name, const HutchX11Display *d, gboolean *have_cookie,
            GError **error)
{
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "x11: this hutch was built without libXau; rebuild with it, or drop the x11 "
              "permission");
  return FALSE;
}

#endif

gboolean
hutch_x11_plan(HutchPlan *plan, GError **error)
{
  const char *name = g_getenv("DISPLAY");
  if (!hutch_policy_has(plan->policy, HUTCH_PERM_X11)) {
    g_auto(HutchX11Display) d = {0};
    if (name && hutch_x11_parse_display(name, &d, NULL))
      hutch_x11_note_abstract_socket(plan, d.number, FALSE);
    return TRUE;
  }
  if (!name || !*name) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "x11: DISPLAY is not set, so there is no X server to pass; start hutch from "
                "your X session, or drop the x11 permission");
    return FALSE;
  }
  g_auto(HutchX11Display) d = {0};
  if (!hutch_x11_parse_display(name, &d, error))
    return FALSE;
  /* libXau opens the authority file with a blocking fopen: a FIFO there
   * (an app with a writable home can make one) must not hang hutch. */
  if (!hutch_check_regular_or_absent(XauFileName(), error)) {
    g_prefix_error(error, "x11: ");
    return FALSE;
  }
  g_autofree char *socket = g_strdup_printf(SOCKET_DIR "/X%s", d.number);
  struct stat st;
  if (stat(socket, &st) < 0 || !S_ISSOCK(st.st_mode)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "x11: the X server of DISPLAY=%s has no socket at %s (does it listen only on "
                "TCP or the abstract socket?)",
                name, socket);
    return FALSE;
  }
  gboolean have_cookie;
  if (!plan_cookie(plan, name, &d, &have_cookie, error))
    return FALSE;
  if (!hutch_plan_bind(plan, socket, socket, 0, WHY, error))
    return FALSE;
  g_autofree char *display = g_strdup_printf(":%s%s", d.number, d.screen);
  hutch_plan_setenv(plan, "DISPLAY", display);
  if (have_cookie) {
    g_autofree char *inside = g_build_filename(plan->sandbox_runtime_dir, "Xauthority", NULL);
    if (!hutch_runtime_bind(plan, "Xauthority", inside, HUTCH_OPF_RDONLY, WHY, error))
      return FALSE;
    hutch_plan_setenv(plan, "XAUTHORITY", inside);
  } else {
    hutch_plan_unsetenv(plan, "XAUTHORITY");
  }
  hutch_x11_note_abstract_socket(plan, d.number, TRUE);
  return TRUE;
}
