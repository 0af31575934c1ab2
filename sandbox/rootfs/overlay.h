/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Writable overlays over read-only lower trees: kernel overlayfs in the
 * sandbox's user namespace (userxattr) where the kernel allows it,
 * fuse-overlayfs where it does not. The upper layers live in a tmpfs that
 * dies with the sandbox, or under ~/.local/share/hutch/overlays/NAME. */
#pragma once
#include "plan.h"

typedef struct HutchOverlay HutchOverlay;

/* Decide where the upper layers go and how the overlays are mounted, for
 * the lower directories LOWERS (host paths). LOWER_ID names the lower tree
 * ("host", "image NAME") so that a persistent overlay is never reused
 * over another tree. Fails with a message saying what to change when
 * neither kernel overlayfs nor fuse-overlayfs can do it. */
HutchOverlay *hutch_overlay_prepare(HutchPlan *plan, const char *lower_id, GPtrArray *lowers,
                                    GError **error);
/* Add the ops that show LOWER (one of the prepared lowers) writable at
 * SANDBOX_PATH. */
gboolean hutch_overlay_mount(HutchOverlay *overlay, const char *lower, const char *sandbox_path,
                             GError **error);
void hutch_overlay_free(HutchOverlay *overlay);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HutchOverlay, hutch_overlay_free)

/* For hutch check: can this user mount overlays in a user namespace, and
 * how? METHOD gets "kernel overlayfs (userxattr)" or "fuse-overlayfs (...)". */
gboolean hutch_overlay_probe(char **method, GError **error);

/* overlay-probe.c: mount each (LOWERS[i], UPPERS[i], WORKS[i]) overlay in
 * a throwaway user and mount namespace; an upper of NULL means a fresh
 * tmpfs. Returns 0, or an errno with *failed set to the index that
 * failed (-1: the namespace itself could not be made). */
int hutch_overlay_try_kernel(GPtrArray *lowers, GPtrArray *uppers, GPtrArray *works, int *failed);
/* The fuse-overlayfs binary, or NULL with the reason it cannot be used. */
char *hutch_overlay_find_fuse(char **why);
/* Words for an errno from mounting an overlay, naming what to change. */
const char *hutch_overlay_errno_hint(int err);
