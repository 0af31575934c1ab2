[Profile]
description=Firefox ESR web browser, in its own home
include=browser.inc
command=firefox-esr

[DBus]
# Opening a link in the running browser (its remote service), and MPRIS.
own=org.mozilla.firefox_esr.*;org.mozilla.firefox.*;org.mpris.MediaPlayer2.firefox.*
