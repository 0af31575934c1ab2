[Profile]
description=Firefox ESR web browser, in its own home
include=browser.inc
command=firefox-esr
