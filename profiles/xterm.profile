# X11: untrusted (desktop.inc): a terminal needs no GL, and its shell's
# commands must not read other windows.
[Profile]
description=xterm with a shell that reads your home (secrets hidden)
include=secrets.inc;history.inc
command=xterm

[Filesystem]
home=ro

[Permissions]
# The shell's programs get an X server of their own: none of them can log
# what the user types elsewhere or read their other windows.
allow=x11;clipboard
x11=nested
