/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Hiding the user's X and ICE authority files from every sandbox. */
#pragma once
#include "plan.h"

/* Cover each authority file wherever a bind planned so far shows it (run
 * after the home and path steps, whether or not x11 is granted). */
gboolean hutch_x11_hide_authority(HutchPlan *plan, GError **error);
