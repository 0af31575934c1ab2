/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Sandbox names: what `--name` accepts, and the name hutch makes up when
 * none is given. Names become directory names under $XDG_RUNTIME_DIR/hutch
 * and cgroup names, so they are kept to a safe alphabet. */
#pragma once
#include <glib.h>
#include "policy.h"

#define HUTCH_NAME_MAX 64

/* TRUE when NAME is 1..64 of [A-Za-z0-9._-], not starting with '.' or '-'. */
gboolean hutch_name_valid(const char *name);
/* The same check with an error that says what to use instead. */
gboolean hutch_name_check(const char *name, GError **error);
/* The base of a generated name: the profile's name, else the command's
 * basename (or the base a launcher set, policy->name_base, before both),
 * cleaned to the name alphabet. The state code appends -2, -3, ...
 * when a sandbox of that name is running. */
char *hutch_name_base(const HutchPolicy *policy);
