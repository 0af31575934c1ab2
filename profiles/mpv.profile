[Profile]
description=mpv media player: music and videos read-only, no network
include=media.inc
command=mpv --player-operation-mode=pseudo-gui

[DBus]
# MPRIS (mpv-mpris): media keys and desktop players control it.
own=org.mpris.MediaPlayer2.mpv.*
