/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The seccomp filter: compiled with libseccomp in the parent while the Plan is
 * built, exported as BPF, loaded by the child as its last step before exec. */
#pragma once
#include <glib.h>
#include <linux/filter.h>
#include "policy.h"

typedef struct {
  char *description; /* one line per rule, for dry-run */
  struct sock_filter *filter;
  unsigned short len;
} HutchSeccompProgram;

/* Compile the filter the policy asks for (DESIGN.md §5, relaxed by the
 * devel, nested-sandbox and multiarch permissions and the raw allow/deny
 * lists) into program->filter/len, and describe it in words in
 * program->description. */
gboolean hutch_seccomp_compile(const HutchPolicy *policy, HutchSeccompProgram *program,
                               GError **error);

/* The description hutch_seccomp_compile gives, without compiling: it is
 * made from the rule table and the policy alone. */
char *hutch_seccomp_describe(const HutchPolicy *policy);

/* Free what hutch_seccomp_compile filled in. */
void hutch_seccomp_program_clear(HutchSeccompProgram *program);

/* TRUE when NAME is a syscall libseccomp knows on some architecture hutch filters. */
gboolean hutch_seccomp_syscall_known(const char *name);
