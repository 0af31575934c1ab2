/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What `hutch profile check` warns about in a profile that loads without
 * errors: grants of paths this host does not have (written without the
 * "-" that makes a path optional), and grants that defeat the profile (a
 * hidden system directory, the whole system read-write, the user's keys,
 * the whole home writable). Each warning names the line that made it. */
#pragma once
#include <glib.h>
#include "policy.h"

/* Appends "FILE:LINE: warning: ..." lines to WARNINGS. */
void hutch_profile_lint(const HutchPolicy *policy, GPtrArray *warnings);
