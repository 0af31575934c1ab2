# X11: untrusted (desktop.inc): chat brings text from strangers; GTK 2
# draws without GL. Accounts and logs live in ~/.purple: its own home.
[Profile]
description=Pidgin chat client in its own home
include=desktop.inc
command=pidgin

[Filesystem]
home=private

# GTK 2: X11 only (Xwayland on a Wayland session).
[Permissions]
allow=x11

[Network]
mode=user
