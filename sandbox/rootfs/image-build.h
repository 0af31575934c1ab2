/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Building an image under images/NAME.partial and moving it to NAME only
 * once it is complete: an interrupted or failed build leaves nothing under
 * the name. The builder (debootstrap, tar) runs as root of a user
 * namespace with the subordinate ids (userns.h), its output shown as
 * progress. */
#pragma once
#include <glib.h>

typedef struct HutchImageBuild HutchImageBuild;

/* Check NAME is free, claim NAME.partial (removing one a crashed build
 * left) and make its empty rootfs/. */
HutchImageBuild *hutch_image_build_begin(const char *name, GError **error);
const char *hutch_image_build_rootfs(HutchImageBuild *build);
/* Run ARGV in the namespace, showing its output as progress. SIGINT,
 * SIGTERM and SIGHUP stop it (error code HUTCH_ERROR_FAILED, "interrupted"). */
gboolean hutch_image_build_run(HutchImageBuild *build, char **argv, char **envp, GError **error);
/* Check the tree looks like a root filesystem, write INFO next to it and
 * rename NAME.partial to NAME. */
gboolean hutch_image_build_commit(HutchImageBuild *build, GKeyFile *info, GError **error);
/* Removes NAME.partial unless committed. */
void hutch_image_build_free(HutchImageBuild *build);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HutchImageBuild, hutch_image_build_free)

/* The signal that interrupted the last run, 0 if none. */
int hutch_image_build_interrupted(HutchImageBuild *build);
