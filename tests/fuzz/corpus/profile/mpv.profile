[Profile]
description=mpv media player: music and videos read-only, no network
include=media.inc
command=mpv --player-operation-mode=pseudo-gui
