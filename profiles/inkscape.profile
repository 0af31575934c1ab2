# X11: untrusted (desktop.inc): Inkscape draws with cairo, no GL.
# Its preferences and extensions' caches live in its own home.
[Profile]
description=Inkscape vector editor in its own home: edits Pictures and Documents
include=desktop.inc
command=inkscape

[Filesystem]
home=private
rw=-xdg-pictures;-xdg-documents
