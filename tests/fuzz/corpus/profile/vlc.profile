[Profile]
description=VLC media player: music and videos read-only, no network
include=media.inc
command=vlc
