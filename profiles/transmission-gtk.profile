# X11: untrusted (desktop.inc): a GTK 3 app, no GL.
# Peers come from anywhere: the network is user-mode (pasta), out of reach
# of the host's loopback services; incoming peers need a forwarded port
# (publish= in an override). Torrents and their data: Downloads.
[Profile]
description=Transmission BitTorrent client in its own home: downloads to Downloads
include=desktop.inc
command=transmission-gtk

[Filesystem]
home=private
rw=-xdg-download
# Where the user's folders are: without it the private home names no
# Downloads folder, and transmission-gtk saves to ~/Desktop of the private
# home, out of the user's sight.
ro=-~/.config/user-dirs.dirs

[Network]
mode=user
