/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "peer-uid.h"
#include <stdio.h>
#include <string.h>

/* "0100007F:1F90": the address as the kernel prints its __be32 (%08X of
 * the value in memory order), then the port in host order. */
static gboolean
parse_end(const char *text, guint32 *addr, guint16 *port)
{
  unsigned int a, p;
  if (sscanf(text, "%8X:%4X", &a, &p) != 2)
    return FALSE;
  *addr = a;
  *port = (guint16)p;
  return TRUE;
}

static gboolean
same_end(guint32 addr, guint16 port, const struct sockaddr_in *sa)
{
  return addr == sa->sin_addr.s_addr && port == ntohs(sa->sin_port);
}

/* One row: "sl: local rem st tx:rx tr:when retrnsmt uid timeout inode ...". */
static gboolean
row_uid(const char *line, const struct sockaddr_in *peer, const struct sockaddr_in *self,
        uid_t *uid)
{
  char local[64], remote[64];
  unsigned long row_uid;
  if (sscanf(line, " %*[0-9]: %63s %63s %*x %*x:%*x %*x:%*x %*x %lu", local, remote, &row_uid) != 3)
    return FALSE;
  guint32 la, ra;
  guint16 lp, rp;
  if (!parse_end(local, &la, &lp) || !parse_end(remote, &ra, &rp))
    return FALSE;
  if (!same_end(la, lp, peer) || !same_end(ra, rp, self))
    return FALSE;
  *uid = (uid_t)row_uid;
  return TRUE;
}

gboolean
hutch_peer_uid_from_table(const char *table, const struct sockaddr_in *peer,
                          const struct sockaddr_in *self, uid_t *uid)
{
  g_auto(GStrv) lines = g_strsplit(table, "\n", -1);
  for (char **l = lines; *l; l++)
    if (l != lines && row_uid(*l, peer, self, uid))
      return TRUE;
  return FALSE;
}

gboolean
hutch_peer_uid(const struct sockaddr_in *peer, const struct sockaddr_in *self, uid_t *uid)
{
  g_autofree char *table = NULL;
  if (!g_file_get_contents("/proc/net/tcp", &table, NULL, NULL))
    return FALSE;
  return hutch_peer_uid_from_table(table, peer, self, uid);
}
