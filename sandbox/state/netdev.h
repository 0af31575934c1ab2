/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Network byte counters of a sandbox, read from /proc/PID/net/dev of a
 * process inside it: that file shows the reader's view of the network
 * namespace of PID, i.e. the sandbox's own interfaces. */
#pragma once
#include <glib.h>
#include <sys/types.h>

typedef struct {
  char name[32];
  guint64 rx_bytes;
  guint64 tx_bytes;
} HutchNetDev;

/* The interfaces (HutchNetDev) of PID's network namespace; NULL when unreadable. */
GArray *hutch_netdev_read(pid_t pid);
/* The bytes received and sent on every interface of DEVS (may be NULL) but loopback. */
void hutch_netdev_totals(GArray *devs, guint64 *rx, guint64 *tx);
