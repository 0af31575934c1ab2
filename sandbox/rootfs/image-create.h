/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Making an image, as `hutch create` and the panel do: from the Debian
 * template (debootstrap) or from a root filesystem tarball, recording
 * where it came from in its info file. */
#pragma once
#include <glib.h>
#include "image-build.h"
#include "template-debian.h"

typedef struct {
  char *template_name; /* "debian", "steam", or NULL */
  char *from_tar;      /* a root filesystem tarball, or NULL */
  HutchDebianOptions debian;
  gboolean resolved; /* the template's own options and the defaults are in */
} HutchImageSource;

void hutch_image_source_clear(HutchImageSource *source);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(HutchImageSource, hutch_image_source_clear)

/* Exactly one of a template and a tarball, the Debian options only with
 * the template; else a HUTCH_ERROR_USAGE that says what to give. */
gboolean hutch_image_source_check(const HutchImageSource *source, GError **error);

/* The steam template: Debian amd64 with i386 multiarch and Steam's
 * libraries added after debootstrap. */
gboolean hutch_image_source_is_steam(const HutchImageSource *source);

/* Fill in SOURCE's Debian options: the template's own, then the defaults
 * (the host's release, arch and mirror). */
gboolean hutch_image_source_resolve(HutchImageSource *source, GError **error);

/* Make image NAME from SOURCE (whose Debian options get their defaults),
 * telling PROGRESS (NULL: stderr) each step and line of the builder's
 * output. With CANCEL_FD >= 0 the build stops when it becomes readable
 * (error "cancelled"); otherwise SIGINT, SIGTERM and SIGHUP stop it, and
 * *INTERRUPTED is the signal (0 otherwise). Stopped or failed, nothing is
 * left of the image. */
gboolean hutch_image_create(const char *name, HutchImageSource *source, HutchProgressFn progress,
                            gpointer data, int cancel_fd, int *interrupted, GError **error);
