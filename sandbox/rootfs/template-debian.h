/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch create --template debian: the debootstrap command that builds a
 * minimal Debian (or i386 Debian on amd64) tree, fetching from the mirror
 * apt on this host already uses. */
#pragma once
#include <glib.h>

typedef struct {
  char *release; /* NULL: the host's Debian release, else bookworm */
  char *arch;    /* NULL: the host's architecture */
  char *mirror;  /* NULL: from /etc/apt/sources.list{,.d} */
  char *include; /* extra packages, comma-separated, or NULL */
} HutchDebianOptions;

/* Fill in the defaults and check what was given. */
gboolean hutch_debian_resolve(HutchDebianOptions *opts, GError **error);
char **hutch_debian_argv(const HutchDebianOptions *opts, const char *target, GError **error);
/* The builder's environment: no host secrets, the proxy apt uses. */
char **hutch_debian_envp(void);
