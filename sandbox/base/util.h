/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Small host helpers that have no better home: removing trees, the kernel's
 * namespace support, expanding the path words profiles and flags accept,
 * and sizes in words. */
#pragma once
#include <glib.h>
#include <sys/types.h>

void hutch_rm_rf(const char *path);
gboolean hutch_kernel_has_cgroupns(void);
/* The login name of UID (NULL when it has none), looked up once per
 * process: a launch needs it three times, and each getpwuid reads
 * nsswitch.conf and /etc/passwd again. Main thread only. */
const char *hutch_user_name(uid_t uid);
/* Expand ~, $HOME and XDG user-dir names (xdg-download, ...) in a path rule. */
char *hutch_expand_path(const char *path, const char *home, GError **error);
/* TRUE when a component of PATH is "..". */
gboolean hutch_path_has_dotdot(const char *path);
/* DIR/REST, joined as g_build_filename(DIR, REST, NULL) joins them, at a
 * tenth of its cost (a plan joins a few hundred paths). */
char *hutch_path_join(const char *dir, const char *rest);
/* PATH canonical in an absolute form: as g_canonicalize_filename(PATH, "/")
 * would give it, but without its copy (most paths of a plan already are). */
char *hutch_canonical_path(const char *path);
/* PATH is DIR or lies inside it; both absolute and canonical. */
gboolean hutch_path_is_under(const char *path, const char *dir);
/* BYTES as "12.3 MiB". */
char *hutch_format_size(guint64 bytes);
