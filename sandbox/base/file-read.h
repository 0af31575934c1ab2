/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading a file hutch did not make: one in an image, in the user's home
 * (which an app with a writable home may have replaced), or in the runtime
 * directory. Opened without blocking and refused unless it is a regular
 * file: a FIFO, a device or a socket where a file is expected must not
 * hang hutch nor feed it endless data. */
#pragma once
#include <glib.h>
#include <sys/types.h>

/* Read all of the regular file at PATH, at most MAX bytes (NUL-terminated;
 * LENGTH may be NULL). Errors: G_FILE_ERROR from open (G_FILE_ERROR_NOENT
 * when it does not exist), HUTCH_ERROR_HOST when it is not a regular file
 * or is larger than MAX. */
gboolean hutch_read_file(const char *path, gsize max, char **contents, gsize *length,
                         GError **error);

/* The same for FD, opened by the caller (O_PATH is enough: openat2 in an
 * image's root); PATH names it in errors. FD stays open. */
gboolean hutch_read_fd(int fd, const char *path, gsize max, char **contents, gsize *length,
                       GError **error);

/* TRUE when PATH (symlinks followed) does not exist or is a regular file;
 * else FALSE with an error naming it. For files a library opens itself
 * with a blocking open (GLib's user-dirs.dirs, libXau's authority file). */
gboolean hutch_check_regular_or_absent(const char *path, GError **error);

/* "a FIFO", "a directory", ... for messages. */
const char *hutch_file_type_name(mode_t mode);
