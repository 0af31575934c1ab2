# X11: untrusted (desktop.inc): LibreOffice draws without GL (its OpenGL
# transitions fall back), and it opens documents from anywhere.
[Profile]
description=LibreOffice in its own home: edits Documents, reads Downloads
include=desktop.inc
command=libreoffice

[Permissions]
# Documents (and their macros) from anywhere: an X server of its own (see documents.inc)
x11=nested
allow=clipboard

[Filesystem]
home=private
rw=-xdg-documents
ro=-xdg-download
