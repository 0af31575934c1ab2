/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every profile key: its section, its `hutch run` twin flag, and the one
 * function that checks a value and writes it into a Policy. Profiles and the
 * command line both go through these, so a key and its flag cannot drift. */
#pragma once
#include <glib.h>
#include "policy.h"

/* Apply one value (one item of a list key) to POLICY, recording ORIGIN.
 * Errors say what is wrong with ITEM, without naming the key or the file:
 * the caller prefixes "FILE:LINE: key=ITEM: " or "--flag ITEM: ". */
typedef gboolean (*HutchKeyApply)(HutchPolicy *policy, const char *item, const char *origin,
                                  GError **error);

typedef struct {
  const char *section;
  const char *key;
  const char *flag;    /* `hutch run` twin, with the dashes; NULL: none */
  const char *metavar; /* NULL: the flag takes no value and means "true" */
  const char *help;
  gboolean list;       /* the value is a ;-separated list applied item by item */
  guint rank;          /* 1: applied after the rest of its level (deny beats allow) */
  HutchKeyApply apply; /* NULL for include, which the loader resolves */
} HutchProfileKey;

/* The table, terminated by an entry with section NULL. */
extern const HutchProfileKey hutch_profile_keys[];

const HutchProfileKey *hutch_profile_key_find(const char *section, const char *key);
const HutchProfileKey *hutch_profile_key_by_flag(const char *flag);
/* Section names, NULL-terminated, in documentation order. */
const char *const *hutch_profile_section_names(void);
/* Key names of SECTION, NULL-terminated; free the array only (g_free). */
const char **hutch_profile_key_names(const char *section);
gboolean hutch_profile_key_is_include(const HutchProfileKey *key);

/* Shared by show and --dry-run. */
const char *hutch_rootfs_mode_name(HutchRootfsMode mode);
