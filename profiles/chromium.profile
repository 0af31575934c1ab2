[Profile]
description=Chromium web browser, in its own home
include=browser.inc
command=chromium

[DBus]
# MPRIS for the media it plays.
own=org.mpris.MediaPlayer2.chromium.*
