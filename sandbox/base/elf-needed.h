/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The libraries a 64-bit ELF program asks for (its DT_NEEDED entries), read
 * from the file without loading it: enough to tell a graphical program
 * (libX11, libwayland-client, GTK, Qt, SDL) for hutch's hints. */
#pragma once
#include <glib.h>

/* The DT_NEEDED names of PATH, or NULL when it is not a readable 64-bit
 * little-endian ELF file (a script, a 32-bit program). */
char **hutch_elf_needed(const char *path);
