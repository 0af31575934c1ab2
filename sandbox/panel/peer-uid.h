/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Who is on the other end of a loopback TCP connection. The kernel offers
 * SO_PEERCRED only on unix sockets, and a browser speaks TCP; but every
 * socket in the network namespace is listed in /proc/net/tcp with the uid
 * that created it, and for a connection to us the client's socket is the
 * row whose local end is the peer's address and whose remote end is ours.
 * The panel refuses every connection whose client socket is not its own
 * user's before libsoup reads a byte of it. */
#pragma once
#include <glib.h>
#include <netinet/in.h>
#include <sys/types.h>

/* The uid of the socket in TABLE (the text of /proc/net/tcp) whose local
 * end is PEER and whose remote end is SELF; FALSE when there is none. */
gboolean hutch_peer_uid_from_table(const char *table, const struct sockaddr_in *peer,
                                   const struct sockaddr_in *self, uid_t *uid);
/* The same, read from this network namespace's /proc/net/tcp. */
gboolean hutch_peer_uid(const struct sockaddr_in *peer, const struct sockaddr_in *self, uid_t *uid);
