# Dillo draws with FLTK 1.3, which speaks X11 only: it needs x11 on a
# Wayland session too. On X11 untrusted (browser.inc): a browser runs
# whatever a site sends, and Dillo draws with Xlib, no GL. It has no
# JavaScript and no content processes: no nested-sandbox, no gpu, and no
# sound (it plays none). Bookmarks, cookies and its cache in ~/.dillo: its
# own home; downloads into Downloads. Not browser.inc, which grants those.
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
