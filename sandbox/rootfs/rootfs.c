/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The root filesystem step: which tree the sandbox's / is made of. */
#include "error.h"
#include "rootfs.h"

static gboolean
check_rootfs_options(const HutchPolicy *policy, GError **error)
{
  const char *problem = NULL;
  if (policy->persist && policy->rootfs != HUTCH_ROOTFS_OVERLAY)
    problem = "--persist keeps an overlay's upper layer: add --rootfs overlay";
  else if (policy->rw_image && !policy->image)
    problem = "--rw-image needs --image NAME";
  else if (policy->rw_image && policy->rootfs == HUTCH_ROOTFS_OVERLAY)
    problem = "--rw-image and --rootfs overlay exclude each other: an overlaid image is "
              "writable without being changed";
  if (problem)
    g_set_error_literal(error, HUTCH_ERROR, HUTCH_ERROR_USAGE, problem);
  return problem == NULL;
}

gboolean
hutch_rootfs_plan(HutchPlan *plan, GError **error)
{
  const HutchPolicy *policy = plan->policy;
  if (!check_rootfs_options(policy, error))
    return FALSE;
  if (policy->image)
    return hutch_rootfs_image_plan(plan, error);
  if (policy->rootfs == HUTCH_ROOTFS_OVERLAY)
    return hutch_rootfs_overlay_plan(plan, error);
  return hutch_rootfs_host_plan(plan, error);
}
