/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The root filesystem step: the host's tree (rootfs-host.c), the host's
 * tree under a writable overlay (rootfs-overlay.c) or an image made by
 * hutch create (rootfs-image.c). The three share the runtime pieces. */
#pragma once
#include "overlay.h"
#include "plan.h"

/* The step in hutch_plan_steps: chooses by policy->image and policy->rootfs. */
gboolean hutch_rootfs_plan(HutchPlan *plan, GError **error);

/* The host's system directories that exist here as real directories
 * (/usr, and /bin, /lib... where /usr is not merged, /opt): the lower
 * layers of --rootfs overlay. */
GPtrArray *hutch_rootfs_host_system_dirs(void);
/* /usr, the top-level links and directories and /opt: read-only binds, or
 * layers of OVERLAY when it is not NULL. */
gboolean hutch_rootfs_host_system(HutchPlan *plan, HutchOverlay *overlay, GError **error);
/* The host's /etc read-only, less its mask list, or with etc=minimal the
 * few entries programs need (rootfs-etc.c). */
gboolean hutch_rootfs_host_etc(HutchPlan *plan, GError **error);
/* After hutch_rootfs_runtime: what the host's /etc links into the fresh
 * /run (a resolv.conf of systemd-resolved or NetworkManager). */
gboolean hutch_rootfs_host_etc_links(HutchPlan *plan, GError **error);

/* /proc, /dev, /tmp, /var/tmp, /run and the runtime dir. IMAGE_ROOT is the
 * image's tree on the host, NULL for the host rootfs: what it already has
 * is used rather than replaced. */
gboolean hutch_rootfs_runtime(HutchPlan *plan, const char *image_root, GError **error);

gboolean hutch_rootfs_host_plan(HutchPlan *plan, GError **error);
gboolean hutch_rootfs_overlay_plan(HutchPlan *plan, GError **error);
gboolean hutch_rootfs_image_plan(HutchPlan *plan, GError **error);
