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
# Where the user's folders are: without it the private home names no
# Downloads folder, and a localised one (granted by xdg-download above)
# is missed for ~/Downloads of the private home.
ro=-~/.config/user-dirs.dirs

[Network]
mode=user
