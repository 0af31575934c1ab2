# The Steam client and its games, all in one sandbox, as Steam once ran in an
# LXC container. Steam's own files keep their names (~/.steam and its links,
# ~/.local/share/Steam, ~/.steampath, ~/.steampid) and the GPU drivers'
# shader caches persist; everything else of the home is Steam's own.
# Library folders added in Steam live wherever the user put them: grant each
# in an override (~/.config/hutch/overrides/steam.profile: rw=/mnt/games).
# hutch does not read them from Steam's libraryfolders.vdf, which Steam
# (inside) writes: the sandbox must not choose its own grants.
# Steam runs its games in its own container (pressure-vessel), which needs
# user namespaces, and ships 32-bit libraries. Its network is user-mode
# (pasta): the store, downloads and online play work; Remote Play and
# in-home streaming find other machines by LAN broadcast, which pasta does
# not carry: run with --net host for those.
[Profile]
description=Steam client and its games, in their own home
include=gaming.inc
command=steam

[Filesystem]
rw=-~/.steam;-~/.local/share/Steam;-~/.steampath;-~/.steampid;-~/.cache/mesa_shader_cache;-~/.nv

# The Steam client and most games draw through X11 (Xwayland on a Wayland
# session).
[Permissions]
allow=x11;nested-sandbox;multiarch;shm

[Environment]
unset=SDL_VIDEODRIVER

# The internet through pasta, out of reach of the host's loopback and its
# local services; Remote Play and LAN game discovery need --net host.
[Network]
mode=user
