# Viewnior is GTK 2, which cannot draw on Wayland: it needs x11 on a
# Wayland session too (as feh and pidgin). On X11 untrusted (images.inc):
# it draws with GDK and cairo, no GL.
[Profile]
description=Viewnior image viewer: pictures and downloads read-only
include=images.inc
command=viewnior

[Permissions]
allow=x11
