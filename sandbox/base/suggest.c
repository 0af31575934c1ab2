/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "suggest.h"
#include <string.h>

/* Names are short; anything longer is no name and gets no suggestion, which
 * also bounds the work done on hostile input. */
#define MAX_NAME 64

/* Optimal string alignment distance: Levenshtein plus the swap of two
 * neighbours ("mvp" -> "mpv"), the commonest typo; case is ignored. */
guint
hutch_edit_distance(const char *a, const char *b)
{
  gsize la = strlen(a), lb = strlen(b);
  if (la > MAX_NAME || lb > MAX_NAME)
    return G_MAXUINT;
  guint d[MAX_NAME + 1][MAX_NAME + 1];
  for (gsize i = 0; i <= la; i++)
    d[i][0] = i;
  for (gsize j = 0; j <= lb; j++)
    d[0][j] = j;
  for (gsize i = 1; i <= la; i++) {
    for (gsize j = 1; j <= lb; j++) {
      char ca = g_ascii_tolower(a[i - 1]), cb = g_ascii_tolower(b[j - 1]);
      guint best = MIN(MIN(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + (ca != cb));
      if (i > 1 && j > 1 && ca == g_ascii_tolower(b[j - 2]) && g_ascii_tolower(a[i - 2]) == cb)
        best = MIN(best, d[i - 2][j - 2] + 1);
      d[i][j] = best;
    }
  }
  return d[la][lb];
}

const char *
hutch_suggest(const char *word, const char *const *candidates)
{
  /* One edit per three letters: "hme" -> "home", "Filesytem" -> "Filesystem",
   * but "foo" suggests nothing. */
  guint limit = MAX(1, (guint)(strlen(word) + 2) / 3);
  const char *best = NULL;
  guint best_distance = G_MAXUINT;
  for (const char *const *c = candidates; c && *c; c++) {
    guint d = hutch_edit_distance(word, *c);
    if (d <= limit && d < best_distance) {
      best = *c;
      best_distance = d;
    }
  }
  return best;
}

char *
hutch_did_you_mean(const char *word, const char *const *candidates, const char *quote_open,
                   const char *quote_close)
{
  const char *best = hutch_suggest(word, candidates);
  if (!best)
    return g_strdup("");
  return g_strdup_printf(" (did you mean %s%s%s?)", quote_open, best, quote_close);
}

char *
hutch_did_you_mean_or_list(const char *word, const char *const *candidates)
{
  if (hutch_suggest(word, candidates))
    return hutch_did_you_mean(word, candidates, "'", "'");
  g_autofree char *all = g_strjoinv(", ", (char **)candidates);
  return g_strdup_printf(" (one of: %s)", all);
}
