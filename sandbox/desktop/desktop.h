/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The passthrough plan steps, one file each; each acts only on its
 * permission (launch/steps.c puts them in order). */
#pragma once
#include <glib.h>
#include "plan.h"

gboolean hutch_display_plan(HutchPlan *plan, GError **error);
gboolean hutch_x11_plan(HutchPlan *plan, GError **error);
gboolean hutch_wayland_plan(HutchPlan *plan, GError **error);
gboolean hutch_audio_plan(HutchPlan *plan, GError **error);
gboolean hutch_gpu_plan(HutchPlan *plan, GError **error);
/* gpu-glx.c: warns when gpu meets an untrusted X11 without Wayland. */
gboolean hutch_gpu_glx_plan(HutchPlan *plan, GError **error);
gboolean hutch_input_plan(HutchPlan *plan, GError **error);
gboolean hutch_devices_plan(HutchPlan *plan, GError **error);
gboolean hutch_desktop_basics_plan(HutchPlan *plan, GError **error);

/* wayland.c: the session's compositor socket (WAYLAND_DISPLAY, else
 * libwayland's wayland-0, in XDG_RUNTIME_DIR). TRUE with *PATH when it is
 * there; FALSE with *WHY_NOT in words. */
gboolean hutch_wayland_session_socket(char **path, char **why_not);
gboolean hutch_documents_plan(HutchPlan *plan, GError **error);
