/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Replace a file in the runtime directory atomically: readers see the old
 * or the new contents, never a mix. Not durable (no fsync): the runtime
 * directory describes running processes, which a crash or reboot ends
 * anyway, and an fsync on a disk-backed /run cost ~1 ms a write. */
#pragma once
#include <glib.h>

gboolean hutch_file_replace(const char *path, const void *data, gsize len, int mode,
                            GError **error);
