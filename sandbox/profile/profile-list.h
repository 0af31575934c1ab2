/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The profiles a user has, and checking one, as `hutch profile list` and
 * `hutch profile check` and the panel show them. */
#pragma once
#include <glib.h>

typedef struct {
  char *name;
  char *path;        /* the profile file */
  char *description; /* "" when it has none */
  gboolean broken;   /* it or one of its includes has errors (see hutch_profile_check) */
  gboolean shadowed; /* a profile of the same name earlier in the search path wins */
  char *override;    /* the user's override file for it, when one exists and applies */
} HutchProfileEntry;

void hutch_profile_entry_free(HutchProfileEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HutchProfileEntry, hutch_profile_entry_free)

/* Every profile file in the search path (HutchProfileEntry*), directory by
 * directory in search order, each sorted by name. */
GPtrArray *hutch_profile_list(void);

/* Check ARG without running anything: a file when it names an existing
 * file or holds a '/', else a profile name (with its override file). Its
 * problems go to *ERRORS, one "FILE:LINE: message" each (empty: it is
 * fine); with WARNINGS, a profile without errors is also linted
 * (profile-lint.h) into *WARNINGS. FALSE with ERROR only when there is no
 * such profile. */
gboolean hutch_profile_check(const char *arg, GPtrArray **errors, GPtrArray **warnings,
                             GError **error);
