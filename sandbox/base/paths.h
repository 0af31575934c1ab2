/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where hutch finds its helpers and shipped data: the build tree when the
 * binary runs from it, the installed prefix otherwise. */
#pragma once
#include <glib.h>

const char *hutch_helper_path(const char *name);
/* Directory of shipped profiles (source tree's profiles/ when run from the build tree). */
const char *hutch_shipped_profiles_dir(void);
/* $XDG_RUNTIME_DIR/hutch, created 0700 if needed; falls back to /tmp/hutch-UID. */
const char *hutch_runtime_root(GError **error);
/* The user's data dir for hutch: ~/.local/share/hutch (XDG_DATA_HOME). */
char *hutch_user_data_dir(void);
gboolean hutch_running_from_build_tree(void);
