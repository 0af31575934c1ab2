/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* X11 passthrough (`x11`), by mode (hutch(1) says what each protects):
 *
 * untrusted (default): the display's socket alone, and a cookie for
 * untrusted clients made by the SECURITY extension (x11-cookie.c);
 * trusted: the display's socket and a copy of the user's cookie (GLX and
 * MIT-SHM need a trusted client);
 * nested: no socket of the user's display at all, but an X server of the
 * app's own whose windows xpra shows on it (x11-nested.c).
 *
 * Whatever is granted, the user's own authority files stay hidden
 * (x11-authority.c). The parts that need libX11 live in hutch-x11.so
 * (x11-xserver.h), loaded only here, when x11 is granted. */
#include "config.h"
#include "error.h"
#include "file-read.h"
#include "desktop.h"
#include "plan-tasks.h"
#include "runtime-files.h"
#include "x11-authority.h"
#include "x11-display.h"
#include "x11-nested.h"
#include "x11-xserver.h"
#include <sys/stat.h>

#define WHY "x11"
#define SOCKET_DIR HUTCH_X11_SOCKET_DIR

#if HAVE_X11
static gboolean
make_untrusted(gpointer data, GError **error)
{
  return hutch_x11_make_untrusted(data, error);
}

static void
revoke_untrusted(HutchHostResource *res)
{
  hutch_x11_revoke_untrusted(res->data);
}

static void
untrusted_free(gpointer data)
{
  HutchX11Untrusted *u = data;
  hutch_x11_revoke_untrusted(u); /* when the release never ran */
  g_free(u->name);
  g_free(u->number);
  g_free(u->xauth);
  g_free(u);
}

/* untrusted: an empty cookie file now, the cookie from a plan task (which
 * loads hutch-x11.so itself: nothing of X holds up the plan). Its release
 * at exit revokes the cookie. */
static gboolean
plan_untrusted(HutchPlan *plan, const char *name, const HutchX11Display *d, const char *xauth,
               GError **error)
{
  if (!hutch_runtime_write(plan, "Xauthority", "", error))
    return FALSE;
  HutchX11Untrusted *u = g_new0(HutchX11Untrusted, 1);
  u->name = g_strdup(name);
  u->number = g_strdup(d->number);
  u->xauth = g_strdup(xauth);
  hutch_plan_add_server_resource(plan, "untrusted X11 cookie", revoke_untrusted, u, untrusted_free);
  hutch_plan_start_task(plan, make_untrusted, u);
  return TRUE;
}
#endif

/* The cookie the app gets, in the runtime file "Xauthority". */
static gboolean
plan_cookie(HutchPlan *plan, const char *name, const HutchX11Display *d, gboolean *have_cookie,
            GError **error)
{
#if HAVE_X11
  g_autofree char *xauth = hutch_runtime_file(plan, "Xauthority");
  *have_cookie = TRUE;
  if (plan->policy->x11_mode == HUTCH_X11_TRUSTED)
    return hutch_x11_plan_trusted(plan, name, d, xauth, have_cookie, error);
  if (xauth)
    return plan_untrusted(plan, name, d, xauth, error);
  return hutch_x11_plan_untrusted(plan, name, d, NULL, error);
#else
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "x11: this hutch was built without libX11, libXext, libXau and libxcb; rebuild "
              "with them, or drop the x11 permission");
  return FALSE;
#endif
}

/* untrusted and trusted: the display's own socket and a cookie for it. */
static gboolean
plan_socket(HutchPlan *plan, const char *name, const HutchX11Display *d, GError **error)
{
  g_autofree char *socket = g_strdup_printf(SOCKET_DIR "/X%s", d->number);
  gboolean have_cookie;
  if (!plan_cookie(plan, name, d, &have_cookie, error))
    return FALSE;
  if (!hutch_plan_bind(plan, socket, socket, 0, WHY, error))
    return FALSE;
  g_autofree char *display = g_strdup_printf(":%s%s", d->number, d->screen);
  hutch_plan_setenv(plan, "DISPLAY", display);
  if (have_cookie) {
    g_autofree char *inside = g_build_filename(plan->sandbox_runtime_dir, "Xauthority", NULL);
    if (!hutch_runtime_bind(plan, "Xauthority", inside, HUTCH_OPF_RDONLY, WHY, error))
      return FALSE;
    hutch_plan_setenv(plan, "XAUTHORITY", inside);
  } else {
    hutch_plan_unsetenv(plan, "XAUTHORITY");
  }
  hutch_x11_note_abstract_socket(plan, d->number, TRUE);
  return TRUE;
}

gboolean
hutch_x11_plan(HutchPlan *plan, GError **error)
{
  if (!hutch_x11_hide_authority(plan, error))
    return FALSE;
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
  /* libXau (in hutch-x11.so) opens the authority file with a blocking
   * fopen: a FIFO there (an app with a writable home can make one) must not
   * hang hutch. The file is XauFileName()'s, found here without loading
   * the library: $XAUTHORITY, else ~/.Xauthority. */
  const char *env_xauth = g_getenv("XAUTHORITY");
  g_autofree char *xauth = env_xauth && *env_xauth
                               ? g_strdup(env_xauth)
                               : g_build_filename(g_get_home_dir(), ".Xauthority", NULL);
  if (!hutch_check_regular_or_absent(xauth, error)) {
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
  if (plan->policy->x11_mode == HUTCH_X11_NESTED)
    return hutch_x11_nested_plan(plan, name, &d, error);
  return plan_socket(plan, name, &d, error);
}
