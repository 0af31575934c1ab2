# X11: untrusted (desktop.inc): a GTK 3 editor draws without GL.
[Profile]
description=Mousepad text editor: edits files in Documents
include=desktop.inc
command=mousepad

[DBus]
# A GApplication: it owns its id on the session bus, or does not start.
own=org.xfce.mousepad

[Permissions]
# Text from anywhere: an X server of its own (see documents.inc)
x11=nested
allow=clipboard

[Filesystem]
rw=-xdg-documents
