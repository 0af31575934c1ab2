/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "x11-access.h"
#include <arpa/inet.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

/* si:localuser:NAME matches the client's uid by name, or "#UID". */
static gboolean
is_this_user(const char *value)
{
  if (value[0] == '#')
    return g_ascii_strtoull(value + 1, NULL, 10) == getuid();
  struct passwd *pw = getpwnam(value);
  return pw && pw->pw_uid == getuid();
}

/* si:localgroup:NAME matches a group of the client; count every group the
 * user is in, whichever the server can see. */
static gboolean
is_this_users_group(const char *value)
{
  gid_t gid;
  if (value[0] == '#') {
    gid = (gid_t)g_ascii_strtoull(value + 1, NULL, 10);
  } else {
    struct group *gr = getgrnam(value);
    if (!gr)
      return FALSE;
    gid = gr->gr_gid;
  }
  if (gid == getgid())
    return TRUE;
  int n = getgroups(0, NULL);
  g_autofree gid_t *groups = g_new0(gid_t, MAX(n, 1));
  n = getgroups(n, groups);
  for (int i = 0; i < n; i++)
    if (groups[i] == gid)
      return TRUE;
  return FALSE;
}

static char *
server_interpreted(const XHostAddress *h)
{
  const XServerInterpretedAddress *si = (const XServerInterpretedAddress *)h->address;
  g_autofree char *type = g_strndup(si->type, si->typelength);
  g_autofree char *value = g_strndup(si->value, si->valuelength);
  gboolean admits = (g_str_equal(type, "localuser") && is_this_user(value)) ||
                    (g_str_equal(type, "localgroup") && is_this_users_group(value));
  return admits ? g_strdup_printf("si:%s:%s", type, value) : NULL;
}

static char *
network_address(const XHostAddress *h)
{
  char text[INET6_ADDRSTRLEN] = "";
  int af = h->family == FamilyInternet ? AF_INET : AF_INET6;
  if ((af == AF_INET && h->length != 4) || (af == AF_INET6 && h->length != 16) ||
      !inet_ntop(af, h->address, text, sizeof(text)))
    return g_strdup(af == AF_INET ? "inet:?" : "inet6:?");
  return g_strdup_printf("%s:%s", af == AF_INET ? "inet" : "inet6", text);
}

static char *
admitting_entry(const XHostAddress *h, gboolean host_net)
{
  switch (h->family) {
  case FamilyServerInterpreted:
    return server_interpreted(h);
  case FamilyLocalHost: /* xhost +local: every client on this machine */
    return g_strdup("local:");
  case FamilyInternet:
  case FamilyInternet6: /* reachable over TCP, with the host's network only */
    return host_net ? network_address(h) : NULL;
  default:
    return NULL;
  }
}

gboolean
hutch_x_cookieless_entry(HutchXConn *conn, gboolean host_net, char **entry, GError **error)
{
  *entry = NULL;
  HutchXGuard *guard = hutch_x_guard_start(ConnectionNumber(conn->dpy), conn->name, "ListHosts");
  int n = 0;
  Bool enabled = True;
  XHostAddress *hosts = XListHosts(conn->dpy, &n, &enabled);
  if (!hutch_x_guard_end(guard, error)) {
    if (hosts)
      XFree(hosts);
    return FALSE;
  }
  if (!enabled)
    *entry = g_strdup("+");
  for (int i = 0; hosts && i < n && !*entry; i++)
    *entry = admitting_entry(&hosts[i], host_net);
  if (hosts)
    XFree(hosts);
  return TRUE;
}
