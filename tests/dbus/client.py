#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""What the dbus suite runs inside a sandbox: one line per step, as
"WHAT: RESULT", so a test can check each.

    client.py [--system] names
        ListNames as the app sees it
    client.py [--system] call NAME METHOD
        org.example.Service.METHOD of NAME at /org/example/Service
    client.py [--system] own NAME...
        RequestName of each NAME: "own NAME: ok" or the error
    client.py doc FILE
        org.freedesktop.portal.Documents.Add of FILE: the document id
"""

import os
import sys

import dbus


def error_name(e):
    return e.get_dbus_name() or str(e)


def main():
    args = sys.argv[1:]
    system = args[0] == "--system"
    if system:
        args.pop(0)
    bus = dbus.SystemBus() if system else dbus.SessionBus()
    what = args.pop(0)
    if what == "names":
        names = bus.list_names()
        print("names: " + " ".join(sorted(str(n) for n in names if not n.startswith(":"))))
    elif what == "call":
        name, method = args
        try:
            obj = bus.get_object(name, "/org/example/Service", introspect=False)
            print(f"call {method}: " + obj.get_dbus_method(method, "org.example.Service")())
        except dbus.DBusException as e:
            print(f"call {method}: {error_name(e)}")
    elif what == "own":
        for name in args:
            try:
                code = bus.request_name(name, dbus.bus.NAME_FLAG_DO_NOT_QUEUE)
                print(f"own {name}: " + ("ok" if code == dbus.bus.REQUEST_NAME_REPLY_PRIMARY_OWNER
                                         else f"reply {code}"))
            except dbus.DBusException as e:
                print(f"own {name}: {error_name(e)}")
    elif what == "doc":
        docs = bus.get_object("org.freedesktop.portal.Documents",
                              "/org/freedesktop/portal/documents")
        fd = os.open(args[0], os.O_RDWR)
        doc = docs.Add(dbus.types.UnixFd(fd), True, False,
                       dbus_interface="org.freedesktop.portal.Documents")
        print(f"doc: {doc}")


if __name__ == "__main__":
    main()
