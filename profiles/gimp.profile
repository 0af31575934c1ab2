# X11: untrusted (desktop.inc): GIMP 2.10 draws with cairo, no GL.
[Profile]
description=GIMP image editor in its own home: edits Pictures
include=desktop.inc
command=gimp

[Filesystem]
home=private
rw=-xdg-pictures

# GIMP 2.10 is a GTK 2 program: X11 only (Xwayland on a Wayland session).
[Permissions]
allow=x11
