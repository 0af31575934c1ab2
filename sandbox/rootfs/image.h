/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The image store: ~/.local/share/hutch/images/NAME holds an image's tree
 * (rootfs/) and what hutch create recorded about it (info). Files in the
 * tree belong to the user's subordinate ids, so only a user namespace with
 * those ids mapped may change or remove them (userns.h). */
#pragma once
#include <glib.h>
#include <sys/types.h>

char *hutch_images_dir(void);
/* NAME: letters, digits, '.', '_', '-', not starting with '.'. */
gboolean hutch_image_name_check(const char *name, GError **error);
char *hutch_image_dir(const char *name);
/* The tree an --image value names: NAME in the store, or an absolute path
 * to a root filesystem. *store_dir gets images/NAME for a stored image,
 * NULL for a path. */
char *hutch_image_resolve(const char *image, char **store_dir, GError **error);

/* Read PATH of the tree at ROOTFS, resolving symlinks as if ROOTFS were
 * "/" so an image never leads hutch to a host file, and only when it is a
 * regular file (file-read.h: a FIFO there must not hang hutch). NULL with
 * no error when absent; NULL with an error naming it when it is not a
 * regular file or cannot be read. */
char *hutch_image_read(const char *rootfs, const char *path, GError **error);
/* TRUE when PATH of the tree at ROOTFS (resolved as above) is a regular
 * file, without opening it for reading. */
gboolean hutch_image_has_file(const char *rootfs, const char *path);
/* PRETTY_NAME from the tree's os-release, or NULL. */
char *hutch_image_distro(const char *rootfs);
/* Disk use of the tree, counting what the caller can see. */
guint64 hutch_image_size(const char *rootfs);
/* Whether the tree has files of more than one owner or group; the first
 * two owners found go to *first and *second as "uid N" / "gid N". */
gboolean hutch_image_has_several_owners(const char *rootfs, char **first, char **second);

/* Running sandboxes whose runtime dir has an `image` marker naming IMAGE. */
GPtrArray *hutch_image_users(const char *image);
/* The marker a sandbox leaves in its runtime dir while it runs an image. */
#define HUTCH_IMAGE_MARKER "image"
