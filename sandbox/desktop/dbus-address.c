/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "dbus-address.h"
#include "error.h"
#include <string.h>

/* %XX escapes, as the D-Bus specification writes values. */
static char *
unescape(const char *s, gsize len)
{
  GString *out = g_string_sized_new(len);
  for (gsize i = 0; i < len; i++) {
    if (s[i] != '%') {
      g_string_append_c(out, s[i]);
      continue;
    }
    if (i + 2 >= len)
      goto bad;
    int hi = g_ascii_xdigit_value(s[i + 1]), lo = g_ascii_xdigit_value(s[i + 2]);
    if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
      goto bad;
    g_string_append_c(out, (char)(hi * 16 + lo));
    i += 2;
  }
  return g_string_free(out, FALSE);
bad:
  g_string_free(out, TRUE);
  return NULL;
}

/* The socket of one entry, "unix:KEY=VALUE,..."; FALSE when it names none. */
static gboolean
parse_entry(const char *entry, HutchBusAddress *out)
{
  if (!g_str_has_prefix(entry, "unix:"))
    return FALSE;
  g_auto(GStrv) pairs = g_strsplit(entry + strlen("unix:"), ",", -1);
  for (char **p = pairs; *p; p++) {
    const char *eq = strchr(*p, '=');
    if (!eq)
      return FALSE;
    HutchBusSocketKind kind;
    if (strncmp(*p, "path", eq - *p) == 0 && eq - *p == 4)
      kind = HUTCH_BUS_SOCKET_PATH;
    else if (strncmp(*p, "abstract", eq - *p) == 0 && eq - *p == 8)
      kind = HUTCH_BUS_SOCKET_ABSTRACT;
    else
      continue;
    char *socket = unescape(eq + 1, strlen(eq + 1));
    if (!socket || !*socket || (kind == HUTCH_BUS_SOCKET_PATH && socket[0] != '/')) {
      g_free(socket);
      return FALSE;
    }
    out->kind = kind;
    out->socket = socket;
    out->entry = g_strdup(entry);
    return TRUE;
  }
  return FALSE;
}

gboolean
hutch_bus_address_parse(const char *address, HutchBusAddress *out, GError **error)
{
  memset(out, 0, sizeof(*out));
  g_auto(GStrv) entries = g_strsplit(address, ";", -1);
  for (char **e = entries; *e; e++)
    if (parse_entry(*e, out))
      return TRUE;
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "the bus address '%s' names no local socket (unix:path= or unix:abstract=) the "
              "proxy could connect to",
              address);
  return FALSE;
}

void
hutch_bus_address_clear(HutchBusAddress *address)
{
  g_clear_pointer(&address->socket, g_free);
  g_clear_pointer(&address->entry, g_free);
}
