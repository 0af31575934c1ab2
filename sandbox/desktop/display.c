/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "display.h"
#include "desktop.h"
#include "error.h"

HutchDisplayKind
hutch_display_of_session(char **why)
{
  g_autofree char *socket = NULL;
  g_autofree char *no_wayland = NULL;
  if (hutch_wayland_session_socket(&socket, &no_wayland)) {
    *why = g_strdup_printf("the session's compositor at %s", socket);
    return HUTCH_DISPLAY_WAYLAND;
  }
  const char *x = g_getenv("DISPLAY");
  if (x && *x) {
    *why = g_strdup_printf("X11 at DISPLAY=%s, since %s", x, no_wayland);
    return HUTCH_DISPLAY_X11;
  }
  *why = g_strdup_printf("%s, and DISPLAY is unset", no_wayland);
  return HUTCH_DISPLAY_NONE;
}

/* Turn `display` into wayland or x11 before their steps run; what it
 * became, and why, is in the dry run and in the permissions recorded. */
gboolean
hutch_display_plan(HutchPlan *plan, GError **error)
{
  HutchPolicy *policy = plan->policy;
  if (!hutch_policy_has(policy, HUTCH_PERM_DISPLAY))
    return TRUE;
  g_autofree char *why = NULL;
  HutchDisplayKind kind = hutch_display_of_session(&why);
  const char *origin = hutch_policy_origin(policy, "perm display");
  g_autofree char *via = g_strdup_printf("display (%s)", origin ? origin : "default");
  switch (kind) {
  case HUTCH_DISPLAY_WAYLAND:
    policy->perms |= HUTCH_PERM_WAYLAND;
    if (!hutch_policy_origin(policy, "perm wayland"))
      hutch_policy_set_origin(policy, "perm wayland", via);
    hutch_plan_note(plan, "display: Wayland, %s%s", why,
                    hutch_policy_has(policy, HUTCH_PERM_X11)
                        ? "; X11 too, which the profile grants on its own"
                        : "; no X11 (grant x11 besides display for an app that needs it)");
    return TRUE;
  case HUTCH_DISPLAY_X11:
    policy->perms |= HUTCH_PERM_X11;
    if (!hutch_policy_origin(policy, "perm x11"))
      hutch_policy_set_origin(policy, "perm x11", via);
    hutch_plan_note(plan, "display: %s", why);
    return TRUE;
  case HUTCH_DISPLAY_NONE:
    break;
  }
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "display: this session has no display: %s; start the app from your desktop "
              "session, or drop the display permission",
              why);
  return FALSE;
}
