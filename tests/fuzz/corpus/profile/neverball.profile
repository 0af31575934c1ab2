[Profile]
description=Neverball: tilt the floor to roll a ball; saves in its own home
include=gaming.inc
command=/usr/games/neverball
