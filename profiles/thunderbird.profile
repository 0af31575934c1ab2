[Profile]
description=Thunderbird mail, in its own home; saves attachments to Downloads
include=desktop.inc
command=thunderbird

[Permissions]
# Mail from anyone: an X server of its own (see documents.inc)
x11=nested
allow=clipboard

[Filesystem]
home=private
rw=-xdg-download

[Network]
mode=host
