/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* "Did you mean": the known name closest to a misspelt one. */
#pragma once
#include <glib.h>

/* Edit distance (Levenshtein, with swaps of neighbours) between A and B, or G_MAXUINT when either
 * is too long to be a name. */
guint hutch_edit_distance(const char *a, const char *b);

/* The candidate (NULL-terminated list) closest to WORD when it is close
 * enough to be a likely typo; NULL otherwise. */
const char *hutch_suggest(const char *word, const char *const *candidates);

/* " (did you mean 'X'?)" for WORD among CANDIDATES, or "" when none is close;
 * QUOTE_OPEN/QUOTE_CLOSE wrap the name ("'" "'" or "[" "]"). Free with g_free. */
char *hutch_did_you_mean(const char *word, const char *const *candidates, const char *quote_open,
                         const char *quote_close);
/* The same, but " (one of: A, B, ...)" when no candidate is close. */
char *hutch_did_you_mean_or_list(const char *word, const char *const *candidates);
