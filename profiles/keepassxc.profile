# X11: untrusted (desktop.inc): a password manager, of all apps, must not
# read other windows or type into them; Qt draws without GL. No network:
# its browser integration and favicon downloads are off. Its settings live
# in its own home; databases in Documents (others: an override, rw=PATH).
[Profile]
description=KeePassXC password manager in its own home, without network: databases in Documents
include=desktop.inc
command=keepassxc

[Filesystem]
home=private
rw=-xdg-documents
