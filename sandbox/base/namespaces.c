/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "namespaces.h"
#include <sched.h>

const HutchNamespace hutch_namespaces[HUTCH_NS_COUNT] = {
    [HUTCH_NS_USER] = {"user", "user", CLONE_NEWUSER, 1},
    [HUTCH_NS_MNT] = {"mnt", "mount", CLONE_NEWNS, 1},
    [HUTCH_NS_PID] = {"pid", "pid", CLONE_NEWPID, 1},
    [HUTCH_NS_IPC] = {"ipc", "ipc", CLONE_NEWIPC, 0},
    [HUTCH_NS_UTS] = {"uts", "uts", CLONE_NEWUTS, 1},
    [HUTCH_NS_CGROUP] = {"cgroup", "cgroup", CLONE_NEWCGROUP, 0},
    [HUTCH_NS_NET] = {"net", "net", CLONE_NEWNET, 0},
};

const HutchNs hutch_ns_join_order[HUTCH_NS_COUNT] = {
    HUTCH_NS_USER,   HUTCH_NS_IPC, HUTCH_NS_UTS, HUTCH_NS_NET,
    HUTCH_NS_CGROUP, HUTCH_NS_PID, HUTCH_NS_MNT,
};
