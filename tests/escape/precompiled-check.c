/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Compares each build-time filter (seccomp-gen) with what libseccomp
 * compiles now for the same permissions: a launch without raw rules must
 * load exactly the filter a full compile would give. */
#include <stdio.h>
#include <string.h>
#include "precompiled-seccomp.h"
#include "seccomp-filter.h"

int
main(void)
{
  int bad = 0;
  for (guint combo = 0; combo < HUTCH_PRECOMPILED_COMBOS; combo++) {
    g_autoptr(GError) error = NULL;
    HutchSeccompProgram program;
    if (!hutch_precompiled_compile(combo, &program, &error)) {
      fprintf(stderr, "compile: %s\n", error->message);
      return 2;
    }
    const HutchPrecompiledFilter *pre = &hutch_precompiled_filters[combo];
    gboolean same = pre->len == program.len &&
                    memcmp(pre->filter, program.filter, program.len * sizeof(*pre->filter)) == 0;
    printf("perms 0x%x: %u instructions %s\n", hutch_precompiled_perms(combo), program.len,
           same ? "identical" : "DIFFERENT");
    bad |= !same;
    hutch_seccomp_program_clear(&program);
  }
  return bad;
}
