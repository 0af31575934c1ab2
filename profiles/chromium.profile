[Profile]
description=Chromium web browser, in its own home
include=browser.inc
command=chromium

# Debian's chromium wrapper reads its flags from these.
[Filesystem]
ro=-/etc/chromium.d;-/etc/chromium
