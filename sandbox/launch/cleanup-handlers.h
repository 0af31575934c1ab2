/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The undo handler of each host resource type a plan step records (see
 * state.h); programs that clean stale sandboxes pass this table to
 * hutch_state_set_cleanup_handlers. */
#pragma once
#include "state.h"

extern const HutchCleanupHandler hutch_cleanup_handlers[];
