/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The sandbox's scratch space: every tmpfs the app can write (/tmp,
 * /var/tmp, /run, its runtime dir, /dev, /dev/shm, an empty home, --tmpfs
 * paths, the upper layers of an ephemeral overlay) is a directory of one
 * tmpfs, the child's scratch root, bound where it belongs. One tmpfs, one
 * size: what the app can hold in memory that way is bounded once, not once
 * per mount, and without a delegated cgroup (where tmpfs pages are charged
 * to the sandbox) that bound is the only one. The size is --memory when
 * set, else a quarter of the machine's memory; the inodes are bounded too
 * (one per page of the size), since they cost memory the size does not
 * count. */
#include "plan-steps.h"
#include "util.h"
#include <unistd.h>

#define MIN_INODES 4096

static guint64
physical_memory(void)
{
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? (guint64)pages * (guint64)page : (guint64)4 << 30;
}

gboolean
hutch_scratch_plan(HutchPlan *plan, GError **error)
{
  guint64 memory = plan->policy->limit_memory;
  plan->scratch_size = memory ? memory : physical_memory() / 4;
  plan->scratch_size_why = memory ? "the memory limit" : "a quarter of the memory";
  plan->scratch_inodes = MAX(plan->scratch_size / 4096, MIN_INODES);
  g_autofree char *options = hutch_plan_tmpfs_options(plan, 0755);
  plan->scratch_options = g_string_chunk_insert(plan->strings, options);
  return TRUE;
}

char *
hutch_plan_tmpfs_options(const HutchPlan *plan, guint mode)
{
  return g_strdup_printf("mode=%04o,size=%" G_GUINT64_FORMAT ",nr_inodes=%" G_GUINT64_FORMAT, mode,
                         plan->scratch_size, plan->scratch_inodes);
}

HutchOp *
hutch_plan_tmpfs(HutchPlan *plan, const char *sandbox_path, guint mode, const char *why)
{
  HutchOp *op = hutch_plan_add_op(plan, HUTCH_OP_TMPFS, NULL, sandbox_path, why);
  op->flags = HUTCH_OPF_SCRATCH;
  op->mode = mode;
  /* Its own directory in the child's scratch root, outside the new root. */
  g_autofree char *src = g_strdup_printf(HUTCH_SCRATCH_DIR "/%u", plan->ops->len - 1);
  op->src = g_string_chunk_insert(plan->strings, src);
  g_autofree char *data = g_strdup_printf("mode=%04o", mode);
  op->data = g_string_chunk_insert(plan->strings, data);
  return op;
}

/* For --dry-run and the manual: what the scratch space is and why. */
char *
hutch_scratch_describe(const HutchPlan *plan)
{
  g_autofree char *size = hutch_format_size(plan->scratch_size);
  return g_strdup_printf("every writable tmpfs shares one of %s and %" G_GUINT64_FORMAT
                         " inodes (%s)",
                         size, plan->scratch_inodes, plan->scratch_size_why);
}
