# X11: nested (documents.inc): a Qt 5 viewer of PDFs from anywhere draws
# without GL, in an X server of its own. Its settings and bookmarks
# database are only kept for the session (no home): a viewer needs none.
[Profile]
description=qpdfview document viewer: documents and downloads read-only
include=documents.inc
command=qpdfview
