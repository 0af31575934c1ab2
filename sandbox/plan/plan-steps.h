/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A plan step: one concern (the root filesystem, home, granted paths, each
 * passthrough, seccomp) that adds its ops to a Plan. hutch_plan_new runs a
 * table of them in order; order matters because later mounts land on
 * earlier ones (launch/steps.c holds the table). */
#pragma once
#include <glib.h>
#include "plan.h"

struct HutchPlanStep {
  const char *name;
  gboolean (*run)(HutchPlan *plan, GError **error);
};

/* The core steps, in this folder; the root filesystem's are in rootfs/,
 * the passthroughs' in desktop/, and their order in launch/steps.c. */
gboolean hutch_home_plan(HutchPlan *plan, GError **error);
gboolean hutch_paths_plan(HutchPlan *plan, GError **error);
gboolean hutch_seccomp_plan(HutchPlan *plan, GError **error);
gboolean hutch_limits_plan(HutchPlan *plan, GError **error);
gboolean hutch_detach_plan(HutchPlan *plan, GError **error);
gboolean hutch_finish_plan(HutchPlan *plan, GError **error);

/* protect.c: hutch's own directories, the files a writable home keeps
 * read-only, and the hide rules; collected by a step before the others
 * (the paths step checks grants against them), applied by the protect
 * step over every bind the steps planned. */
gboolean hutch_protect_collect(HutchPlan *plan, GError **error);
gboolean hutch_protect_plan(HutchPlan *plan, GError **error);
/* scratch.c: the size every writable tmpfs shares; first, since the root
 * filesystem step already mounts with it. */
gboolean hutch_scratch_plan(HutchPlan *plan, GError **error);
/* A ro/rw grant whose resolved target is hidden or protected while its own
 * path is not, or that names hutch's own directories: a usage error. */
gboolean hutch_protect_check_grant(HutchPlan *plan, const HutchPathRule *rule, const char *literal,
                                   const char *real, GError **error);

/* The reason the host root's own binds carry (rootfs/rootfs-host.c): they
 * show the host's tree, and name no path a user granted. */
#define HUTCH_ROOTFS_HOST_WHY "host rootfs"
