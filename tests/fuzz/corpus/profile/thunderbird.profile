[Profile]
description=Thunderbird mail, in its own home; saves attachments to Downloads
include=desktop.inc
command=thunderbird

[Filesystem]
home=private
rw=-xdg-download

[Network]
mode=host
