#include "suggest.h"
#include <string.h>

/* Names are short; anything longer is no name and gets no suggestion, which
 * also bounds the work done on hostile input. */
#define MAX_NAME 64

guint
hutch_edit_distance(const char *a, const char *b)
{
  gsize la = strlen(a), lb = strlen(b);
  if (la > MAX_NAME || lb > MAX_NAME)
    return G_MAXUINT;
  guint row[MAX_NAME + 1];
  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++) {
    guint diag = row[0];
    row[0] = i;
    for (gsize j = 1; j <= lb; j++) {
      guint up = row[j];
      guint cost = g_ascii_tolower(a[i - 1]) == g_ascii_tolower(b[j - 1]) ? 0 : 1;
      row[j] = MIN(MIN(row[j] + 1, row[j - 1] + 1), diag + cost);
      diag = up;
    }
  }
  return row[lb];
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
