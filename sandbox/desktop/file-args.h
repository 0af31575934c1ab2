/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Which arguments of the app name the user's files: a file:// URI, a
 * regular file that exists (relative to the caller's directory), or a new
 * file named by a path (one with a '/') in a directory the user may write.
 * Words,
 * options, directories, devices and the kernel's /proc, /sys and /dev are
 * left alone. Reads the host's file system, changes nothing. */
#pragma once
#include <glib.h>

typedef struct {
  char *path;      /* absolute, symlinks resolved (for a new file: its directory's) */
  gboolean exists; /* FALSE: a file the app is to create */
  gboolean uri;    /* given as file://; forwarded as one */
} HutchFileArg;

/* TRUE with *OUT filled when ARG names a file, CWD being the caller's
 * directory. */
gboolean hutch_file_arg_parse(const char *arg, const char *cwd, HutchFileArg *out);
void hutch_file_arg_clear(HutchFileArg *arg);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(HutchFileArg, hutch_file_arg_clear)
