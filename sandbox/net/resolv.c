/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "resolv.h"
#include <arpa/inet.h>
#include <string.h>

/* The family of a nameserver line's address, 0 when it is none. */
static int
nameserver_family(const char *line)
{
  g_auto(GStrv) words = g_strsplit_set(line, " \t", -1);
  const char *addr = NULL;
  for (char **w = words + 1; *w; w++)
    if (**w) {
      addr = *w;
      break;
    }
  if (!addr)
    return 0;
  g_autofree char *plain = g_strndup(addr, strcspn(addr, "%"));
  guint8 buf[16];
  if (inet_pton(AF_INET, plain, buf) == 1)
    return AF_INET;
  if (inet_pton(AF_INET6, plain, buf) == 1)
    return AF_INET6;
  return 0;
}

static gboolean
is_keyword(const char *line, const char *word)
{
  gsize n = strlen(word);
  return strncmp(line, word, n) == 0 && (line[n] == ' ' || line[n] == '\t');
}

void
hutch_resolv_conf_build(const char *host, const char *sandbox_name, HutchResolvConf *out)
{
  memset(out, 0, sizeof(*out));
  g_autoptr(GString) kept = g_string_new(NULL);
  g_auto(GStrv) lines = g_strsplit(host ? host : "", "\n", -1);
  for (char **l = lines; *l; l++) {
    const char *line = g_strchug(*l);
    if (is_keyword(line, "nameserver")) {
      int family = nameserver_family(line);
      out->ipv4 |= family == AF_INET;
      out->ipv6 |= family == AF_INET6;
    } else if (is_keyword(line, "search") || is_keyword(line, "domain") ||
               is_keyword(line, "options")) {
      g_string_append_printf(kept, "%s\n", line);
    }
  }
  GString *text = g_string_new(NULL);
  g_string_append_printf(text,
                         "# hutch sandbox %s (--net user): pasta forwards DNS sent here to the "
                         "host's resolver\n",
                         sandbox_name);
  if (out->ipv4)
    g_string_append(text, "nameserver " HUTCH_DNS_FORWARD4 "\n");
  if (out->ipv6)
    g_string_append(text, "nameserver " HUTCH_DNS_FORWARD6 "\n");
  g_string_append(text, kept->str);
  out->text = g_string_free(text, FALSE);
}

void
hutch_resolv_conf_clear(HutchResolvConf *conf)
{
  g_clear_pointer(&conf->text, g_free);
}
