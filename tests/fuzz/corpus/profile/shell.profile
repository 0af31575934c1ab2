[Profile]
description=A shell that reads your home (secrets hidden), changes nothing
include=secrets.inc
command=bash

[Filesystem]
home=ro
