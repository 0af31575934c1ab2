[Profile]
description=xterm with a shell that reads your home (secrets hidden)
include=secrets.inc;history.inc
command=xterm

[Filesystem]
home=ro

[Permissions]
allow=x11
