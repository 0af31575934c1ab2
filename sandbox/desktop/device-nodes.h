/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Binding whichever of a list of host device nodes exist: the GPU, input
 * and sound permissions grant a class of devices, not fixed paths. */
#pragma once
#include "plan.h"

typedef struct {
  const char *prefix; /* a name in /dev starting with this */
  gboolean digits;    /* ...followed by digits only (nvidia0, not nvidiactl) */
} HutchDevicePattern;

/* Bind every present path of NODES and every /dev entry matching PATTERNS
 * (either may be NULL) at the same place, device nodes usable. Appends the
 * bound paths to FOUND. */
gboolean hutch_bind_device_nodes(HutchPlan *plan, const char *const *nodes,
                                 const HutchDevicePattern *patterns, const char *why,
                                 GPtrArray *found, GError **error);
/* One dry-run note listing FOUND, or NONE when it is empty. */
void hutch_note_device_nodes(HutchPlan *plan, const char *why, GPtrArray *found, const char *none);
