/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Wayland passthrough (`wayland`): the compositor's socket in the sandbox's
 * runtime dir, WAYLAND_DISPLAY naming it, WAYLAND_SOCKET (an inherited fd)
 * gone. Where the compositor offers wp_security_context_v1 the app gets a
 * socket of its own that the compositor knows to be sandboxed instead. */
#include "error.h"
#include "desktop.h"
#include "runtime-files.h"
#include "wayland-secctx.h"
#include <sys/stat.h>

#define WHY "wayland"
#define CONTEXT_SOCKET "wayland-0"

/* libwayland's own rules: WAYLAND_DISPLAY, a name in XDG_RUNTIME_DIR or an
 * absolute path, else wayland-0. */
static char *
socket_path(const char **display, char **why_not)
{
  *display = g_getenv("WAYLAND_DISPLAY");
  if (!*display || !**display)
    *display = "wayland-0";
  if (g_path_is_absolute(*display))
    return g_strdup(*display);
  const char *runtime = g_getenv("XDG_RUNTIME_DIR");
  if (!runtime || !g_path_is_absolute(runtime)) {
    *why_not = g_strdup_printf("XDG_RUNTIME_DIR is not set, so the compositor socket %s "
                               "cannot be found",
                               *display);
    return NULL;
  }
  return g_build_filename(runtime, *display, NULL);
}

gboolean
hutch_wayland_session_socket(char **path, char **why_not)
{
  const char *display;
  g_autofree char *p = socket_path(&display, why_not);
  if (!p)
    return FALSE;
  struct stat st;
  if (stat(p, &st) < 0 || !S_ISSOCK(st.st_mode)) {
    const char *set = g_getenv("WAYLAND_DISPLAY");
    *why_not =
        set && *set
            ? g_strdup_printf("no Wayland compositor socket at %s (WAYLAND_DISPLAY=%s)", p, set)
            : g_strdup_printf("no Wayland compositor (WAYLAND_DISPLAY is unset and "
                              "there is no %s)",
                              p);
    return FALSE;
  }
  *path = g_steal_pointer(&p);
  return TRUE;
}

/* Bind the socket hutch made for the security context, or else the
 * compositor's own, as DISPLAY_NAME in the sandbox's runtime dir. */
static gboolean
plan_socket(HutchPlan *plan, const char *host_socket, const char *display_name, GError **error)
{
  HutchWaylandMode mode = plan->policy->wayland_mode;
  g_autofree char *inside = g_build_filename(plan->sandbox_runtime_dir, display_name, NULL);
  if (mode == HUTCH_WAYLAND_PLAIN) {
    hutch_plan_note(plan,
                    "wayland: the compositor's socket %s is bound as it is (--wayland "
                    "plain)",
                    host_socket);
    return hutch_plan_bind(plan, host_socket, inside, 0, WHY, error);
  }
  gboolean offered;
  g_autofree char *why_not = NULL;
  if (!hutch_wayland_security_context(plan, host_socket, CONTEXT_SOCKET, &offered, &why_not, error))
    return FALSE;
  if (offered)
    return hutch_runtime_bind(plan, CONTEXT_SOCKET, inside, 0, WHY, error);
  if (mode == HUTCH_WAYLAND_SECURE) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "wayland: a security context is required (--wayland secure, wayland=secure) "
                "but %s; use a compositor that has it, or allow --wayland auto",
                why_not);
    return FALSE;
  }
  hutch_plan_note(plan,
                  "wayland: %s, so the app gets the compositor's socket %s with no "
                  "restrictions beyond the compositor's own",
                  why_not, host_socket);
  return hutch_plan_bind(plan, host_socket, inside, 0, WHY, error);
}

gboolean
hutch_wayland_plan(HutchPlan *plan, GError **error)
{
  if (!hutch_policy_has(plan->policy, HUTCH_PERM_WAYLAND))
    return TRUE;
  g_autofree char *host_socket = NULL;
  g_autofree char *why_not = NULL;
  if (!hutch_wayland_session_socket(&host_socket, &why_not)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "wayland: %s; start hutch from your Wayland session, or drop the wayland "
                "permission",
                why_not);
    return FALSE;
  }
  const char *display = g_getenv("WAYLAND_DISPLAY");
  if (!display || !*display)
    display = "wayland-0";
  g_autofree char *name = g_path_get_basename(display);
  if (!plan_socket(plan, host_socket, name, error))
    return FALSE;
  hutch_plan_setenv(plan, "WAYLAND_DISPLAY", name);
  hutch_plan_unsetenv(plan, "WAYLAND_SOCKET");
  return TRUE;
}
