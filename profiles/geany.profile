# X11: untrusted (desktop.inc): a GTK 3 editor draws without GL.
# Geany keeps its settings and session in ~/.config/geany: its own home.
[Profile]
description=Geany editor in its own home: edits files in Documents
include=desktop.inc
command=geany

[Filesystem]
home=private
rw=-xdg-documents
