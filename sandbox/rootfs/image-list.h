/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The images in the store, as `hutch images` and the panel list them. */
#pragma once
#include <glib.h>

typedef struct {
  char *name;
  char *dir;          /* images/NAME */
  guint64 size;       /* disk use of its tree, in bytes */
  GDateTime *created; /* from its info file, else the directory's mtime; NULL: unknown */
  char *distro;       /* PRETTY_NAME of its os-release; NULL: unknown */
  char *arch;         /* as recorded by hutch create; NULL: not recorded */
} HutchImageEntry;

void hutch_image_entry_free(HutchImageEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HutchImageEntry, hutch_image_entry_free)

/* Every image (HutchImageEntry*), sorted by name; empty when there is no store. */
GPtrArray *hutch_image_list(void);
