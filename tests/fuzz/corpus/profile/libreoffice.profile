[Profile]
description=LibreOffice in its own home: edits Documents, reads Downloads
include=desktop.inc
command=libreoffice

[Filesystem]
home=private
rw=-xdg-documents
ro=-xdg-download
