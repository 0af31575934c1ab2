/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The X server's host access list (XListHosts): whether it lets a client
 * of this user in with no cookie at all. Such a client is trusted, so an
 * untrusted cookie means nothing on that server. */
#pragma once
#include "x11-xlib.h"

/* The access-list entry that admits this user's clients without a cookie,
 * as xhost(1) writes it ("si:localuser:NAME", "local:", "+" for access
 * control disabled), or NULL when there is none. HOST_NET: the client
 * shares the host's network, so entries for network addresses count too.
 * Bounded; FALSE with error when the server could not be asked. */
gboolean hutch_x_cookieless_entry(HutchXConn *conn, gboolean host_net, char **entry,
                                  GError **error);
