# X11: untrusted (desktop.inc): a terminal needs no GL, and its shell's
# commands must not read other windows.
[Profile]
description=xterm with a shell that reads your home (secrets hidden)
include=secrets.inc
command=xterm

[Filesystem]
home=ro

[Permissions]
allow=x11
