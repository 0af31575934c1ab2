/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Removing an image, as `hutch destroy` and the panel do: refused while a
 * sandbox runs it, and never leaving a half-removed tree under its name. */
#pragma once
#include <glib.h>

/* Remove image NAME. A create or destroy of NAME that was killed leaves
 * NAME.partial or .NAME.destroy: they go too, and when they were all there
 * was, *LEFTOVERS_ONLY is set. Errors: HUTCH_ERROR_NOT_FOUND when there is
 * no such image, HUTCH_ERROR_FAILED when it is in use (naming the
 * sandboxes) or being built or removed. */
gboolean hutch_image_destroy(const char *name, gboolean *leftovers_only, GError **error);
