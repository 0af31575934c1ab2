/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Building an image under images/NAME.partial and moving it to NAME only
 * once it is complete: an interrupted or failed build leaves nothing under
 * the name. The builder (debootstrap, tar) runs as root of a user
 * namespace with the subordinate ids (userns.h), its output reported as
 * progress: on the terminal for hutch create, to a callback for the panel. */
#pragma once
#include <glib.h>

typedef enum {
  HUTCH_PROGRESS_STEP,   /* hutch says what it does now */
  HUTCH_PROGRESS_INFO,   /* the builder's progress: debootstrap's "I: " lines, tar's checkpoints */
  HUTCH_PROGRESS_OUTPUT, /* the builder's other output: warnings, errors, its log */
} HutchProgressKind;

/* Hears one line (without its newline), on the thread running the build. */
typedef void (*HutchProgressFn)(HutchProgressKind kind, const char *line, gpointer data);

typedef struct HutchImageBuild HutchImageBuild;

/* Check NAME is free, claim NAME.partial (removing one a crashed build
 * left) and make its empty rootfs/. PROGRESS (NULL: stderr, informational
 * lines replacing each other on a terminal) hears every line. */
HutchImageBuild *hutch_image_build_begin(const char *name, HutchProgressFn progress, gpointer data,
                                         GError **error);
const char *hutch_image_build_rootfs(HutchImageBuild *build);
/* Report a step of hutch's own through the build's progress. */
void hutch_image_build_step(HutchImageBuild *build, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Stop the build when FD becomes readable, and leave the signals alone
 * (for a program with threads, which cannot block them for one thread).
 * Without it, SIGINT, SIGTERM and SIGHUP stop the build. */
void hutch_image_build_set_cancel_fd(HutchImageBuild *build, int fd);
/* Run ARGV in the namespace, reporting its output as progress. A signal
 * or the cancel fd stops it (error code HUTCH_ERROR_FAILED, "interrupted
 * by SIG..." or "cancelled"). */
gboolean hutch_image_build_run(HutchImageBuild *build, char **argv, char **envp, GError **error);
/* Check the tree looks like a root filesystem, write INFO next to it and
 * rename NAME.partial to NAME. */
gboolean hutch_image_build_commit(HutchImageBuild *build, GKeyFile *info, GError **error);
/* Removes NAME.partial unless committed. */
void hutch_image_build_free(HutchImageBuild *build);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HutchImageBuild, hutch_image_build_free)

/* The signal that interrupted the last run, 0 if none. */
int hutch_image_build_interrupted(HutchImageBuild *build);
/* TRUE when the cancel fd stopped the last run. */
gboolean hutch_image_build_cancelled(HutchImageBuild *build);
