# X11: untrusted would do for OpenTTD's software blitter, but its SDL2
# video driver asks for GL first: trusted (gaming.inc), as for the other
# games. Saves and settings in ~/.local/share/openttd and ~/.config/openttd:
# its own home.
[Profile]
description=OpenTTD transport tycoon: saves in its own home
include=gaming.inc
command=/usr/games/openttd
