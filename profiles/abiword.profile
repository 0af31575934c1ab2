# X11: nested, with the clipboard (see documents.inc): documents from
# anywhere, and AbiWord draws with GTK 3 and cairo, no GL. Its settings,
# custom dictionary and templates live in ~/.config/abiword: its own home.
[Profile]
description=AbiWord word processor in its own home: edits Documents, reads Downloads
include=desktop.inc
command=abiword

[Permissions]
x11=nested
allow=clipboard

[Filesystem]
home=private
rw=-xdg-documents
ro=-xdg-download
