# X11: untrusted (desktop.inc): a GTK 3 editor draws without GL.
[Profile]
description=Mousepad text editor: edits files in Documents
include=desktop.inc
command=mousepad

[Filesystem]
rw=-xdg-documents
