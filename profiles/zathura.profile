[Profile]
description=zathura document viewer: documents and downloads read-only
include=documents.inc
command=zathura
