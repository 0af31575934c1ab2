# X11: trusted (gaming.inc): Neverball draws with OpenGL through GLX,
# which an untrusted cookie hides ("GLX is not supported").
[Profile]
description=Neverball: tilt the floor to roll a ball; saves in its own home
include=gaming.inc
command=/usr/games/neverball
