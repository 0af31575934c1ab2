/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "panel-auth.h"
#include "error.h"
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#define TOKEN_BYTES 32

char *
hutch_panel_token_new(GError **error)
{
  guint8 bytes[TOKEN_BYTES];
  gsize got = 0;
  while (got < sizeof(bytes)) {
    ssize_t n = getrandom(bytes + got, sizeof(bytes) - got, 0);
    if (n < 0 && errno != EINTR) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot get random bytes: %s",
                  g_strerror(errno));
      return NULL;
    }
    if (n > 0)
      got += (gsize)n;
  }
  GString *hex = g_string_sized_new(2 * TOKEN_BYTES);
  for (gsize i = 0; i < sizeof(bytes); i++)
    g_string_append_printf(hex, "%02x", bytes[i]);
  return g_string_free(hex, FALSE);
}

gboolean
hutch_panel_token_equal(const char *a, const char *b)
{
  if (!a || !b)
    return FALSE;
  gsize la = strlen(a), lb = strlen(b);
  unsigned char diff = la != lb;
  for (gsize i = 0; i < la && i < lb; i++)
    diff |= (unsigned char)(a[i] ^ b[i]);
  return diff == 0;
}

char *
hutch_panel_cookie(const char *header, const char *name)
{
  if (!header)
    return NULL;
  g_auto(GStrv) pairs = g_strsplit(header, ";", -1);
  gsize len = strlen(name);
  for (char **p = pairs; *p; p++) {
    const char *pair = *p + strspn(*p, " \t");
    if (strncmp(pair, name, len) == 0 && pair[len] == '=')
      return g_strdup(pair + len + 1);
  }
  return NULL;
}

gboolean
hutch_panel_host_ok(const char *host, guint port)
{
  g_autofree char *want = g_strdup_printf("127.0.0.1:%u", port);
  return host && g_str_equal(host, want);
}

gboolean
hutch_panel_origin_ok(const char *origin, guint port)
{
  g_autofree char *want = g_strdup_printf("http://127.0.0.1:%u", port);
  return origin && g_str_equal(origin, want);
}
