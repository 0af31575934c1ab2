# The profile of every command that has none of its own: nothing but the
# command. An empty home, no network, no devices, no display, no sound.
[Profile]
description=Nothing but the command: empty home, no network, no display
include=secrets.inc;history.inc
