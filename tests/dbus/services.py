#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Small real D-Bus services for the dbus suite.

    services.py LOG [--system] NAME...

On the session bus (DBUS_SESSION_BUS_ADDRESS), or the system bus with
--system (DBUS_SYSTEM_BUS_ADDRESS), it owns each NAME and serves:

  org.freedesktop.Notifications  the notification service notify-send
                                 talks to: Notify is logged as
                                 "notify SUMMARY | BODY"
  any other name                 org.example.Service at /org/example/Service:
                                 Allowed() and Forbidden() return their own
                                 names and are logged as "NAME Allowed" ...
                                 (each name on a connection of its own, so
                                 the log tells which one was called)

Every call is a line in LOG; "ready" goes to stdout once every name is
owned. It runs until killed.
"""

import sys

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

NOTIFY = "org.freedesktop.Notifications"
EXAMPLE = "org.example.Service"


def log(line):
    with open(LOG, "a") as f:
        f.write(line + "\n")


class Notifications(dbus.service.Object):
    def __init__(self, bus_name):
        super().__init__(bus_name, "/org/freedesktop/Notifications")
        self.next_id = 1

    @dbus.service.method(NOTIFY, in_signature="susssasa{sv}i", out_signature="u")
    def Notify(self, app, replaces, icon, summary, body, actions, hints, timeout):
        log(f"notify {summary} | {body}")
        self.next_id += 1
        return self.next_id

    @dbus.service.method(NOTIFY, out_signature="as")
    def GetCapabilities(self):
        return ["body"]

    @dbus.service.method(NOTIFY, out_signature="ssss")
    def GetServerInformation(self):
        return ("hutch-test", "hutch", "1", "1.2")

    @dbus.service.method(NOTIFY, in_signature="u")
    def CloseNotification(self, nid):
        log(f"close {nid}")


class Example(dbus.service.Object):
    def __init__(self, bus_name, name):
        super().__init__(bus_name, "/org/example/Service")
        self.name = name

    @dbus.service.method(EXAMPLE, out_signature="s")
    def Allowed(self):
        log(f"{self.name} Allowed")
        return "Allowed"

    @dbus.service.method(EXAMPLE, out_signature="s")
    def Forbidden(self):
        log(f"{self.name} Forbidden")
        return "Forbidden"


def main():
    global LOG
    args = sys.argv[1:]
    LOG = args.pop(0)
    system = args and args[0] == "--system"
    if system:
        args.pop(0)
    DBusGMainLoop(set_as_default=True)
    keep = []
    for name in args:
        bus = dbus.SystemBus(private=True) if system else dbus.SessionBus(private=True)
        bus_name = dbus.service.BusName(name, bus, do_not_queue=True)
        keep.append(Notifications(bus_name) if name == NOTIFY else Example(bus_name, name))
    print("ready", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
