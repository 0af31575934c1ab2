/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The mounts a sandbox was built with, as its plan had them, kept in its
 * runtime dir (file `mounts`) for the panel's detail page: a running
 * sandbox's mount table is in a namespace hutch does not enter to read. */
#pragma once
#include <glib.h>

typedef struct {
  char *type;    /* bind, tmpfs, proc, symlink, overlay, remount-ro, ... */
  char *source;  /* the host path, "" when none */
  char *target;  /* the path in the sandbox */
  char *options; /* "ro", "rw dev", a tmpfs's options, a symlink's target */
  char *why;     /* what asked for it: a profile line, "--ro", "host rootfs" */
} HutchMountRecord;

void hutch_mount_record_free(HutchMountRecord *record);

/* Write MOUNTS (HutchMountRecord*) to DIR/mounts, replacing it. */
gboolean hutch_state_save_mounts(const char *dir, GPtrArray *mounts, GError **error);
/* Read them back; NULL when the sandbox recorded none (an older hutch). */
GPtrArray *hutch_state_load_mounts(const char *dir);
