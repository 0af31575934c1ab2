# X11: untrusted (desktop.inc): mail brings content from strangers, and
# Thunderbird draws without GLX.
[Profile]
description=Thunderbird mail, in its own home; saves attachments to Downloads
include=desktop.inc
command=thunderbird

[Filesystem]
home=private
rw=-xdg-download

# The internet through pasta, not the host's loopback services (a local
# mail or IMAP server is reached with host-port=PORT).
[Network]
mode=user
