[Profile]
description=Mousepad text editor: edits files in Documents
include=desktop.inc
command=mousepad

[Filesystem]
rw=-xdg-documents
