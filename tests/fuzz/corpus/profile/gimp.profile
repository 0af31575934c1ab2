[Profile]
description=GIMP image editor in its own home: edits Pictures
include=desktop.inc
command=gimp

[Filesystem]
home=private
rw=-xdg-pictures
