/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Making an image, as `hutch create` and the panel do: from the Debian
 * template (debootstrap) or from a root filesystem tarball, recording
 * where it came from in its info file. */
#pragma once
#include <glib.h>
#include "template-debian.h"

typedef struct {
  char *template_name; /* "debian", or NULL */
  char *from_tar;      /* a root filesystem tarball, or NULL */
  HutchDebianOptions debian;
} HutchImageSource;

void hutch_image_source_clear(HutchImageSource *source);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(HutchImageSource, hutch_image_source_clear)

/* Exactly one of a template and a tarball, the Debian options only with
 * the template; else a HUTCH_ERROR_USAGE that says what to give. */
gboolean hutch_image_source_check(const HutchImageSource *source, GError **error);

/* Make image NAME from SOURCE (whose Debian options get their defaults).
 * SIGINT, SIGTERM and SIGHUP stop it; then *INTERRUPTED is the signal and
 * nothing is left of the image (0 otherwise). */
gboolean hutch_image_create(const char *name, HutchImageSource *source, int *interrupted,
                            GError **error);
