# X11: untrusted (desktop.inc): mail brings content from strangers, and
# Thunderbird draws without GLX.
[Profile]
description=Thunderbird mail, in its own home; saves attachments to Downloads
include=desktop.inc
command=thunderbird

[Permissions]
# Mail from anyone: an X server of its own (see documents.inc)
x11=nested
allow=clipboard

[Filesystem]
home=private
rw=-xdg-download

[DBus]
# Opening a mailto: link in the running Thunderbird (its remote service).
own=org.mozilla.thunderbird.*

# The internet through pasta, not the host's loopback services (a local
# mail or IMAP server is reached with host-port=PORT).
[Network]
mode=user
