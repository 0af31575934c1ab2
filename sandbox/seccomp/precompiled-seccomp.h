/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Default filters compiled at build time (see seccomp-gen.c), one per
 * combination of the permissions that change the filter. */
#pragma once
#include <glib.h>
#include <linux/filter.h>
#include "policy.h"
#include "seccomp-filter.h"

/* devel, nested-sandbox and multiarch: 2^3 combinations. */
#define HUTCH_PRECOMPILED_COMBOS 8
#define HUTCH_PRECOMPILED_PERMS                                                                    \
  (HUTCH_PERM_DEVEL | HUTCH_PERM_NESTED_SANDBOX | HUTCH_PERM_MULTIARCH)

typedef struct {
  const struct sock_filter *filter;
  unsigned short len;
} HutchPrecompiledFilter;

extern const HutchPrecompiledFilter hutch_precompiled_filters[];

static inline guint
hutch_precompiled_perms(guint combo)
{
  return ((combo & 1) ? HUTCH_PERM_DEVEL : 0) | ((combo & 2) ? HUTCH_PERM_NESTED_SANDBOX : 0) |
         ((combo & 4) ? HUTCH_PERM_MULTIARCH : 0);
}

/* Compile the default filter of COMBO (what seccomp-gen writes down, and
 * precompiled-check compares with). */
gboolean hutch_precompiled_compile(guint combo, HutchSeccompProgram *program, GError **error);

static inline guint
hutch_precompiled_combo(guint perms)
{
  return ((perms & HUTCH_PERM_DEVEL) ? 1 : 0) | ((perms & HUTCH_PERM_NESTED_SANDBOX) ? 2 : 0) |
         ((perms & HUTCH_PERM_MULTIARCH) ? 4 : 0);
}
