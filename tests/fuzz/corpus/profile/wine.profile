[Profile]
description=Wine: Windows programs in a prefix in its own home, no network
include=gaming.inc
command=wine

[Permissions]
allow=multiarch
deny=input

[Environment]
set=WINEDEBUG=-all
