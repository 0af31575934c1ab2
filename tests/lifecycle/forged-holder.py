#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A forged id holder for tests/lifecycle/test-idholder.sh: as root, start
hutch-idholder running as UID:GID inside a user namespace that root owns
(root writes its maps), so that the process is the user's and is named
like a holder, but its namespace is not the user's. Prints its pid.

    forged-holder.py UID GID HOLDER-BINARY DIR
"""
import ctypes
import os
import sys
import time

CLONE_NEWUSER = 0x10000000


def main():
    uid, gid, holder, watched = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    go_r, go_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(go_w)
        null = os.open("/dev/null", os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        if ctypes.CDLL(None, use_errno=True).unshare(CLONE_NEWUSER) != 0:
            os._exit(1)
        os.read(go_r, 1)  # root has written the maps
        os.setgroups([])
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)
        os.execv(holder, ["hutch-idholder", watched])
    os.close(go_r)
    mine = os.readlink("/proc/self/ns/user")
    for _ in range(500):
        if os.readlink(f"/proc/{pid}/ns/user") != mine:
            break
        time.sleep(0.01)
    for name, line in (("uid_map", f"{uid} {uid} 1\n"), ("gid_map", f"{gid} {gid} 1\n")):
        with open(f"/proc/{pid}/{name}", "w") as f:
            f.write(line)
    os.write(go_w, b"x")
    print(pid)


if __name__ == "__main__":
    main()
