[Profile]
description=Chromium web browser, in its own home
include=browser.inc
# Chromium picks its platform (Wayland or X11) from the session only
# when asked to.
command=chromium --ozone-platform-hint=auto

# Debian's chromium wrapper reads its flags from these.
[Filesystem]
ro=-/etc/chromium.d;-/etc/chromium

[DBus]
# MPRIS for the media it plays.
own=org.mpris.MediaPlayer2.chromium.*
