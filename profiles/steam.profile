# Steam runs its games in its own container (pressure-vessel), which needs
# user namespaces, and ships 32-bit libraries. Its network is user-mode
# (pasta): the store, downloads and online play work; Remote Play and
# in-home streaming find other machines by LAN broadcast, which pasta does
# not carry: run with --net host for those.
[Profile]
description=Steam client and its games, in their own home
include=gaming.inc
command=steam

[Permissions]
allow=nested-sandbox;multiarch;shm

[Network]
mode=user
