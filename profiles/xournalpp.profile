# X11: nested, with the clipboard (see documents.inc): it annotates PDFs
# from anywhere, and draws with GTK 3 and cairo, no GL. Settings, recent
# files, autosaves and its toolbar in ~/.config/xournalpp and
# ~/.cache/xournalpp: its own home. Notes and the PDFs they annotate in
# Documents.
[Profile]
description=Xournal++ handwritten notes and PDF annotation, in its own home: edits Documents
include=desktop.inc
command=xournalpp

[Permissions]
x11=nested
allow=clipboard

[Filesystem]
home=private
rw=-xdg-documents
