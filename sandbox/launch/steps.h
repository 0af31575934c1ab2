/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The ordered plan steps of a sandbox on this host: the Plan's own core
 * steps with the root filesystem's and the passthroughs' between them. */
#pragma once
#include "plan-steps.h"

extern const HutchPlanStep hutch_plan_steps[];
