# X11: trusted (gaming.inc): Minetest draws with OpenGL through GLX, which
# an untrusted cookie hides. Worlds, mods and settings live in ~/.minetest:
# its own home. Single player needs no network; online servers need
# --net user.
[Profile]
description=Minetest voxel game: worlds and mods in its own home
include=gaming.inc
command=/usr/games/minetest
