/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Keep the user's sound-server cookie out of the sandbox (pulse-cookie.c). */
#pragma once
#include "plan.h"

/* Cover each cookie file the ops planned so far would show. */
gboolean hutch_pulse_cookie_plan(HutchPlan *plan, GError **error);
