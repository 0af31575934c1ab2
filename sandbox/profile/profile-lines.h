/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The line scanner that runs before GKeyFile sees a profile: GKeyFile gives
 * no line numbers, keeps the last of duplicate keys silently and accepts
 * bytes a terminal would interpret. This scanner refuses those, and maps each
 * section and key to its line so every message can say FILE:LINE. */
#pragma once
#include <glib.h>

/* Profiles are small; anything bigger is a mistake or an attack. */
#define HUTCH_PROFILE_MAX_SIZE (256 * 1024)

typedef struct {
  char *section;
  char *key;
  guint line;
} HutchProfileLine;

typedef struct {
  GPtrArray *entries;   /* HutchProfileLine*, one per key, in file order */
  GHashTable *sections; /* section name -> GUINT_TO_POINTER(line) */
} HutchProfileLines;

/* Scan DATA (LEN bytes, the content of PATH). Appends one "PATH:LINE: message"
 * to ERRORS per bad line and returns NULL when there was any; the caller must
 * then not parse the data. */
HutchProfileLines *hutch_profile_lines_scan(const char *path, const char *data, gsize len,
                                            GPtrArray *errors);
void hutch_profile_lines_free(HutchProfileLines *lines);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HutchProfileLines, hutch_profile_lines_free)

guint hutch_profile_lines_section(const HutchProfileLines *lines, const char *section);
