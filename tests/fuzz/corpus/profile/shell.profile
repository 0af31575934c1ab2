[Profile]
description=A shell that reads your home (secrets hidden), changes nothing
include=secrets.inc;history.inc
command=bash

[Filesystem]
home=ro
