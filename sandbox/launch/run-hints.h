/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* After an app failed: a line that names the cause when the app's own
 * message hides it. An app that cannot open a display says "Can't open
 * display", not that the profile grants none; a command missing inside
 * says "not found", not that the host has it where the sandbox cannot see.
 * Printed on stderr (the log, when detached); never on success. */
#pragma once
#include "plan.h"

void hutch_run_hints(const HutchPlan *plan, int status);
