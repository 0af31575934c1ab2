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

/* --template steam: a Debian tree as above (amd64), then, inside it, i386
 * multiarch and Steam's library set for both architectures: Debian's
 * steam-libs metapackage (what the Steam client and its runtime expect of
 * the system) and Mesa's GL and Vulkan drivers. The argv runs as root of
 * the build's user namespace (sh -c SCRIPT sh ROOTFS): it shows the tree
 * /dev's nodes and a /proc, gives it the host's resolver, and runs dpkg and
 * apt-get chrooted into it. */
#define HUTCH_STEAM_PACKAGES                                                                       \
  "steam-libs:amd64 steam-libs:i386 libgl1-mesa-dri:amd64 libgl1-mesa-dri:i386 "                   \
  "mesa-vulkan-drivers:amd64 mesa-vulkan-drivers:i386 libgl1:i386"
char **hutch_steam_template_argv(const char *rootfs);
