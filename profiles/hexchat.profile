# X11: untrusted (desktop.inc): IRC brings text from strangers; no GL.
# Servers, logs and scripts live in ~/.config/hexchat: its own home.
[Profile]
description=HexChat IRC client in its own home
include=desktop.inc
command=hexchat

[Filesystem]
home=private

[Network]
mode=user
