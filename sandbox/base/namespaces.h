/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one table of the namespaces a sandbox gets: their /proc/PID/ns names
 * (which the state file records and `hutch info` shows), clone flags, and
 * the order `hutch enter` joins them in. */
#pragma once

typedef enum {
  HUTCH_NS_USER,
  HUTCH_NS_MNT,
  HUTCH_NS_PID,
  HUTCH_NS_IPC,
  HUTCH_NS_UTS,
  HUTCH_NS_CGROUP,
  HUTCH_NS_NET,
  HUTCH_NS_COUNT
} HutchNs;

typedef struct {
  const char *name; /* as in /proc/PID/ns/NAME */
  const char *word; /* in --dry-run's "namespaces" line */
  int flag;         /* CLONE_NEW* */
  int always;       /* every sandbox gets its own (net: unless --net host;
                     * ipc: unless the ipc permission; cgroup: where the
                     * kernel has it) */
} HutchNamespace;

extern const HutchNamespace hutch_namespaces[HUTCH_NS_COUNT];

/* The order to join them one by one: the user namespace first, since it
 * grants the right to join the others, the mount namespace last, since it
 * changes the root. */
extern const HutchNs hutch_ns_join_order[HUTCH_NS_COUNT];
