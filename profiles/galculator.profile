# X11: nested, with the clipboard. A GTK 3 calculator draws without GL
# and opens nothing from anyone, so untrusted would do for drawing; but a
# result it copies as an untrusted client does not reach the user's other
# apps (tried: xsel waits in vain for it), while xpra carries a nested X
# server's clipboard both ways. No files at all: its
# settings (~/.config/galculator) are kept for the session only (no home).
[Profile]
description=galculator scientific calculator: no files, no network
include=desktop.inc
command=galculator

[Permissions]
x11=nested
allow=clipboard
