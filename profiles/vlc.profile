[Profile]
description=VLC media player: music and videos read-only, no network
include=media.inc
command=vlc

# VLC 3 embeds its video output in an X11 window: on a Wayland session it
# runs through Xwayland, as upstream recommends, so it needs x11 too.
[Permissions]
allow=x11

[Environment]
set=QT_QPA_PLATFORM=xcb

[DBus]
# MPRIS: media keys and desktop players control it.
own=org.mpris.MediaPlayer2.vlc.*
