#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A notification service (org.freedesktop.Notifications) on the session
bus DBUS_SESSION_BUS_ADDRESS names, for the tests: each Notify call is
written to the file given as argument as APP|SUMMARY|BODY, one per line.
Prints "ready" once it owns its name."""
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib


class Notifications(dbus.service.Object):
    @dbus.service.method("org.freedesktop.Notifications",
                         in_signature="susssasa{sv}i", out_signature="u")
    def Notify(self, app, replaces, icon, summary, body, actions, hints, timeout):
        with open(sys.argv[1], "a") as f:
            f.write(f"{app}|{summary}|{body}\n".replace("\n", " ").rstrip() + "\n")
        return 1


dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
bus = dbus.SessionBus()
name = dbus.service.BusName("org.freedesktop.Notifications", bus)
Notifications(bus, "/org/freedesktop/Notifications")
print("ready", flush=True)
GLib.MainLoop().run()
