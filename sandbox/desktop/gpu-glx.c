/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A plan-time warning: gpu granted over an untrusted X11 connection, with
 * no Wayland. The SECURITY extension hides GLX, MIT-SHM and DRI3 from an
 * untrusted client, so the app's OpenGL falls back to software or fails
 * ("GLX is not supported") and the gpu grant does nothing. Said before the
 * app starts, so its own error is not the first the user sees. */
#include "desktop.h"

gboolean
hutch_gpu_glx_plan(HutchPlan *plan, GError **error)
{
  const HutchPolicy *policy = plan->policy;
  if (!hutch_policy_has(policy, HUTCH_PERM_GPU) || !hutch_policy_has(policy, HUTCH_PERM_X11) ||
      hutch_policy_has(policy, HUTCH_PERM_WAYLAND) || policy->x11_mode != HUTCH_X11_UNTRUSTED)
    return TRUE;
  const char *msg = "gpu is granted over an untrusted X11 connection and without Wayland: the X "
                    "server hides GLX, MIT-SHM and DRI3 from the app, so OpenGL runs in software "
                    "or fails; use x11=trusted (--x11 trusted) for GL, or a Wayland session";
  hutch_plan_note(plan, "warning: %s", msg);
  if (!policy->dry_run)
    g_printerr("hutch: warning: %s\n", msg);
  return TRUE;
}
