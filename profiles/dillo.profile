# Dillo draws with FLTK 1.3, which speaks X11 only: it needs x11 on a
# Wayland session too. On X11 untrusted, as the other browsers: it renders
# whatever a site sends, and draws with Xlib, no GL. Not browser.inc: it
# runs no JavaScript and has no content processes to sandbox, and plays
# no sound, so no nested-sandbox, gpu or audio. Bookmarks, cookies and its
# cache in ~/.dillo: its own home; downloads into Downloads.
[Profile]
description=Dillo web browser, small and without JavaScript, in its own home
include=desktop.inc
command=dillo

[Permissions]
allow=x11

[Filesystem]
home=private
rw=-xdg-download

[Network]
mode=user
