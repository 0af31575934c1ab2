# feh draws with Xlib only: it needs x11 on a Wayland session too.
[Profile]
description=feh image viewer: pictures and downloads read-only
include=images.inc
command=feh

[Permissions]
allow=x11
