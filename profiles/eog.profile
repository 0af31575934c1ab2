[Profile]
description=Eye of GNOME image viewer: pictures and downloads read-only
include=images.inc
command=eog
