# X11: untrusted (desktop.inc): a Qt app, no GL. Peers come from anywhere:
# the network is user-mode (pasta); incoming peers need a forwarded port
# (publish= in an override). Torrents and their data: Downloads.
[Profile]
description=qBittorrent BitTorrent client in its own home: downloads to Downloads
include=desktop.inc
command=qbittorrent

[Filesystem]
home=private
rw=-xdg-download

[Network]
mode=user
