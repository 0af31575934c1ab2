# A game started by its launcher, hutch being the outermost wrapper:
#   Steam's launch options:  hutch run --profile game -- %command%
#   (or pick "hutch" as the game's compatibility tool: hutch steam install-tool)
#   Lutris' prefix command, Heroic's and Legendary's wrapper: hutch run --profile game --
# Under Steam, hutch grants the paths Steam's launch environment names (the
# game's files, its prefix, the client's overlay and runtime) and names the
# sandbox steam-APPID; a profile game-APPID, where there is one, replaces
# this one for that game. Other launchers' game directories are granted in
# an override (ro=~/Games). The Steam client outside and the game inside
# meet in SysV shared memory and semaphores (ipc) and in /dev/shm (shm);
# Steam's runtime containers need user namespaces (nested-sandbox) and many
# games are 32-bit (multiarch). Most games draw through X11 (Xwayland on a
# Wayland session, with GLX: trusted) and pick their video driver themselves,
# as they do under Steam: hutch does not steer SDL towards Wayland.
[Profile]
description=A game started by Steam, Lutris or Heroic: its own home, the paths its launcher names
include=gaming.inc

[Permissions]
allow=x11;ipc;shm;multiarch;nested-sandbox

[Environment]
unset=SDL_VIDEODRIVER

# Online play through pasta, out of reach of the host's loopback and its
# local services; a game that must see the LAN takes --net host.
[Network]
mode=user
