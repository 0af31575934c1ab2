/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a running sandbox can reach, in words a user reads (`hutch info`):
 * its home, the host paths granted, hidden or fresh, the devices bound, its
 * network and display. The launch records it in the sandbox's directory
 * (access, a GKeyFile) beside the state. */
#pragma once
#include <glib.h>

typedef struct {
  char *home;     /* none, private, ro, rw */
  char **ro;      /* host paths, read-only */
  char **rw;      /* host paths, read-write */
  char **hidden;  /* paths made inaccessible */
  char **tmpfs;   /* fresh, empty directories */
  char **devices; /* device nodes bound */
  char *network;  /* none, user, host */
  char **display; /* x11, wayland: what the display permission became */
} HutchAccess;

void hutch_access_free(HutchAccess *access);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HutchAccess, hutch_access_free)

gboolean hutch_access_save(const char *dir, const HutchAccess *access, GError **error);
/* NULL when DIR has no record (a sandbox of an older hutch). */
HutchAccess *hutch_access_load(const char *dir);
