/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* x11=nested: an X server of the app's own, its windows shown on the
 * user's display through xpra. */
#pragma once
#include "plan.h"
#include "x11-display.h"

/* Plan nested X11 for the user's display NAME (:D->number): the helper
 * that starts the app's server runs in the app's place, and (unless a dry
 * run) the xpra client is started on the host. */
gboolean hutch_x11_nested_plan(HutchPlan *plan, const char *name, const HutchX11Display *d,
                               GError **error);
