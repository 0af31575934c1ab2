# Steam runs its games in its own container (pressure-vessel), which needs
# user namespaces, and ships 32-bit libraries.
[Profile]
description=Steam client and its games, in their own home
include=gaming.inc
command=steam

# The Steam client and most games draw through X11 (Xwayland on a Wayland
# session).
[Permissions]
allow=x11;nested-sandbox;multiarch;shm

[Network]
mode=host
