[Profile]
description=Thunderbird mail, in its own home; saves attachments to Downloads
include=desktop.inc
command=thunderbird

[Filesystem]
home=private
rw=-xdg-download

[DBus]
# Opening a mailto: link in the running Thunderbird (its remote service).
own=org.mozilla.thunderbird.*

[Network]
mode=host
