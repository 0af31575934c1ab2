[Profile]
description=GDB debugger: may trace what it starts; home read-only
include=devel.inc
command=gdb
