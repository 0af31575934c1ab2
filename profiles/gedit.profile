# X11: nested, with the clipboard (see documents.inc): text files from
# anywhere, and a GTK 3 editor draws without GL. Its settings go through
# GSettings, kept for the session only (no home).
[Profile]
description=gedit text editor (GNOME): edits files in Documents
include=desktop.inc
command=gedit

[DBus]
# A GApplication: it owns its id on the session bus, or does not start.
own=org.gnome.gedit

[Permissions]
x11=nested
allow=clipboard

[Filesystem]
rw=-xdg-documents
