[Profile]
description=VLC media player: music and videos read-only, no network
include=media.inc
command=vlc

[DBus]
# MPRIS: media keys and desktop players control it.
own=org.mpris.MediaPlayer2.vlc.*
