/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The D-Bus proxy: the plan step that starts one xdg-dbus-proxy for the
 * sandbox, in a sandbox of its own, and the undo of a proxy whose hutch
 * died. */
#pragma once
#include <glib.h>
#include "plan.h"

/* The cleanup type recorded (state.h) once the proxy's sandbox exists. */
#define HUTCH_DBUS_PROXY_CLEANUP "dbus-proxy"

/* The "dbus" plan step: desktop/dbus.c plans the app's side; this starts
 * the proxy while the rest of the sandbox is planned and built, and the
 * app starts only once the proxy listens. */
gboolean hutch_dbus_proxy_plan(HutchPlan *plan, GError **error);
/* Kill the proxy's sandbox DATA ("PID START") names if it still runs. */
void hutch_dbus_proxy_cleanup(const char *data);
