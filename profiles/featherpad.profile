# X11: untrusted (desktop.inc): a Qt editor draws without GL.
[Profile]
description=FeatherPad text editor: edits files in Documents
include=desktop.inc
command=featherpad

[Filesystem]
rw=-xdg-documents
