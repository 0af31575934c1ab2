[Profile]
description=Chromium web browser, in its own home
include=browser.inc
command=chromium
