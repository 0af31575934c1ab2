[Profile]
description=Evince document viewer: documents and downloads read-only
include=documents.inc
command=evince
