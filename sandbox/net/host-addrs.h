/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The host's own addresses, and the netlink requests that make them
 * unreachable from a sandbox's network namespace.
 *
 * pasta connects the sandbox's traffic from host sockets, so without more a
 * connection to any address of the host itself (another interface's, a
 * bridge's, a link-local one) would land on the host's services. The
 * sandbox gets a "prohibit" policy rule for each such address, after the
 * local table's rule (its own copies of the host's addresses stay its
 * own) and before the main table: connect() and sendto() fail with EACCES.
 * The sandbox cannot remove them: it has no CAP_NET_ADMIN once it runs. */
#pragma once
#include <glib.h>

typedef struct {
  int family;      /* AF_INET or AF_INET6 */
  guint8 addr[16]; /* network order; 4 bytes for AF_INET */
  char text[64];   /* as inet_ntop writes it, with %IFACE for link-local */
} HutchHostAddr;

/* Every address of the host's interfaces but the loopback ranges (those
 * are the sandbox's own), without duplicates; an empty array when the host
 * has none or getifaddrs fails. */
GArray *hutch_host_addresses(void);

/* Append to OUT one RTM_NEWRULE request (NLM_F_ACK) per address: prohibit
 * traffic to it, at priority PRIORITY. */
void hutch_host_addr_rules(const GArray *addrs, guint32 priority, GByteArray *out);
