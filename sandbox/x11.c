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
 * --hostname may change) does not matter to Xlib's lookup. */
#include "config.h"
#include "error.h"
#include "plan-steps.h"
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
#include <X11/Xauth.h>
#include <X11/Xlib.h>
#include <X11/extensions/security.h>
#endif

#define WHY "x11"
#define COOKIE_NAME "MIT-MAGIC-COOKIE-1"
#define SOCKET_DIR HUTCH_X11_SOCKET_DIR

#if HAVE_X11

static int x_error_code;

static int
record_x_error(Display *dpy, XErrorEvent *ev)
{
  x_error_code = ev->error_code;
  return 0;
}

static Display *
open_host_display(const char *name, GError **error)
{
  Display *dpy = XOpenDisplay(name);
  if (!dpy) {
    const char *auth = g_getenv("XAUTHORITY");
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "x11: cannot connect to the X server at DISPLAY=%s (is it running, and does "
                "%s hold its cookie?)",
                name, auth ? auth : "~/.Xauthority");
  }
  return dpy;
}

static gboolean
write_xauthority(const char *path, const char *number, const char *data, unsigned short len,
                 GError **error)
{
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
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
 * the SECURITY extension made. Closing it after revoking then costs nothing. */
typedef struct {
  Display *dpy;
  XSecurityAuthorization id;
} UntrustedCookie;

static void
untrusted_cookie_free(gpointer p)
{
  UntrustedCookie *c = p;
  if (c->dpy)
    XCloseDisplay(c->dpy);
  g_free(c);
}

/* Losing the server must not end hutch (Xlib's default is to print and
 * exit(1)): the cookie went with the server, and the app's exit status
 * still matters. */
static int
quiet_io_error(Display *dpy)
{
  return 0;
}

static void
survive_io_error(Display *dpy, void *data)
{
}

static void
revoke_cookie(HutchHostResource *res)
{
  UntrustedCookie *c = res->data;
  XErrorHandler old = XSetErrorHandler(record_x_error);
  x_error_code = 0;
  XSecurityRevokeAuthorization(c->dpy, c->id);
  XSync(c->dpy, False);
  XSetErrorHandler(old);
  if (x_error_code)
    g_warning("x11: the X server refused to revoke cookie %lu (X error %d)", c->id, x_error_code);
  XCloseDisplay(c->dpy);
  c->dpy = NULL;
}

static gboolean
check_security_extension(Display *dpy, const char *name, GError **error)
{
  int major, minor;
  if (XSecurityQueryExtension(dpy, &major, &minor))
    return TRUE;
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "x11: the X server at DISPLAY=%s lacks the SECURITY extension, so it cannot "
              "give the app an untrusted cookie; start the server with +extension SECURITY, "
              "or grant trusted access with --x11 trusted (x11=trusted in a profile) if the app "
              "may see and control your whole display",
              name);
  return FALSE;
}

static Xauth *
generate_untrusted(Display *dpy, XSecurityAuthorization *id, GError **error)
{
  Xauth *in = XSecurityAllocXauth();
  in->name = (char *)COOKIE_NAME;
  in->name_length = sizeof(COOKIE_NAME) - 1;
  XSecurityAuthorizationAttributes attrs = {.timeout = 0, .trust_level = XSecurityClientUntrusted};
  XErrorHandler old = XSetErrorHandler(record_x_error);
  x_error_code = 0;
  Xauth *auth =
      XSecurityGenerateAuthorization(dpy, in, XSecurityTimeout | XSecurityTrustLevel, &attrs, id);
  XSync(dpy, False);
  XSetErrorHandler(old);
  XSecurityFreeXauth(in);
  if (!auth || x_error_code) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "x11: the X server refused to make an untrusted cookie (X error %d)", x_error_code);
    if (auth)
      XSecurityFreeXauth(auth);
    return NULL;
  }
  return auth;
}

static gboolean
plan_untrusted(HutchPlan *plan, const char *name, const HutchX11Display *d, const char *xauth,
               GError **error)
{
  Display *dpy = open_host_display(name, error);
  if (!dpy)
    return FALSE;
  if (!check_security_extension(dpy, name, error)) {
    XCloseDisplay(dpy);
    return FALSE;
  }
  if (!xauth) { /* dry run: nothing is made on the server */
    XCloseDisplay(dpy);
    hutch_plan_note(plan, "x11: untrusted cookie from the SECURITY extension (made at launch, "
                          "revoked at exit)");
    return TRUE;
  }
  XSecurityAuthorization id;
  Xauth *auth = generate_untrusted(dpy, &id, error);
  if (!auth) {
    XCloseDisplay(dpy);
    return FALSE;
  }
  XSetIOErrorHandler(quiet_io_error);
  XSetIOErrorExitHandler(dpy, survive_io_error, NULL);
  UntrustedCookie *cookie = g_new0(UntrustedCookie, 1);
  cookie->dpy = dpy;
  cookie->id = id;
  hutch_plan_add_resource(plan, "untrusted X11 cookie", revoke_cookie, cookie,
                          untrusted_cookie_free);
  /* The id exists only now; should hutch die, the next hutch revokes it. */
  g_autofree char *undo = g_strdup_printf("%s %lu", name, (unsigned long)id);
  if (!hutch_state_add_cleanup(plan->runtime_dir, HUTCH_X11_CLEANUP, undo, error)) {
    XSecurityFreeXauth(auth);
    return FALSE;
  }
  gboolean ok = write_xauthority(xauth, d->number, auth->data, auth->data_length, error);
  XSecurityFreeXauth(auth);
  return ok;
}

/* The user's cookie for this display, as Xlib itself would pick it. */
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

static gboolean
plan_trusted(HutchPlan *plan, const char *name, const HutchX11Display *d, const char *xauth,
             gboolean *have_cookie, GError **error)
{
  Display *dpy = open_host_display(name, error);
  if (!dpy)
    return FALSE;
  XCloseDisplay(dpy);
  Xauth *auth = find_user_cookie(d->number);
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
  gboolean ok = TRUE;
  if (xauth)
    ok = write_xauthority(xauth, d->number, auth->data, auth->data_length, error);
  XauDisposeAuth(auth);
  return ok;
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
  XSecurityAuthorization id = (XSecurityAuthorization)g_ascii_strtoull(space + 1, NULL, 10);
  Display *dpy = XOpenDisplay(name);
  if (!dpy)
    return;
  XSetIOErrorHandler(quiet_io_error);
  XSetIOErrorExitHandler(dpy, survive_io_error, NULL);
  XErrorHandler old = XSetErrorHandler(record_x_error);
  XSecurityRevokeAuthorization(dpy, id); /* gone already: an error, ignored */
  XSync(dpy, False);
  XSetErrorHandler(old);
  XCloseDisplay(dpy);
}

#else

void
hutch_x11_cleanup(const char *data)
{
}

static gboolean
plan_cookie(HutchPlan *plan, const char *name, const HutchX11Display *d, gboolean *have_cookie,
            GError **error)
{
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "x11: this hutch was built without libX11, libXau and libXext; rebuild with "
              "them, or drop the x11 permission");
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
