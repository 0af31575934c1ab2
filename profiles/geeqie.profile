# X11: untrusted (images.inc): Geeqie draws with GTK 3 and cairo, no GL.
# Its settings, thumbnails and metadata (~/.config/geeqie,
# ~/.cache/geeqie, ~/.local/share/geeqie) are kept for the session only:
# a viewer needs no home, and writes nothing into the pictures.
[Profile]
description=Geeqie image viewer: pictures and downloads read-only
include=images.inc
command=geeqie
