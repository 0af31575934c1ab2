/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The passthrough plan steps, one file each; each acts only on its
 * permission (launch/steps.c puts them in order). */
#pragma once
#include <glib.h>
#include "plan.h"

gboolean hutch_x11_plan(HutchPlan *plan, GError **error);
gboolean hutch_wayland_plan(HutchPlan *plan, GError **error);
gboolean hutch_audio_plan(HutchPlan *plan, GError **error);
gboolean hutch_gpu_plan(HutchPlan *plan, GError **error);
gboolean hutch_input_plan(HutchPlan *plan, GError **error);
gboolean hutch_devices_plan(HutchPlan *plan, GError **error);
gboolean hutch_desktop_basics_plan(HutchPlan *plan, GError **error);
gboolean hutch_documents_plan(HutchPlan *plan, GError **error);
