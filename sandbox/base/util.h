/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Small host helpers that have no better home: removing trees, the kernel's
 * namespace support, expanding the path words profiles and flags accept,
 * and sizes in words. */
#pragma once
#include <glib.h>

void hutch_rm_rf(const char *path);
gboolean hutch_kernel_has_cgroupns(void);
/* Expand ~, $HOME and XDG user-dir names (xdg-download, ...) in a path rule. */
char *hutch_expand_path(const char *path, const char *home, GError **error);
/* TRUE when a component of PATH is "..". */
gboolean hutch_path_has_dotdot(const char *path);
/* PATH is DIR or lies inside it; both absolute and canonical. */
gboolean hutch_path_is_under(const char *path, const char *dir);
/* BYTES as "12.3 MiB". */
char *hutch_format_size(guint64 bytes);
