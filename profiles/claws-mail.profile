# X11: nested, with the clipboard (see documents.inc): mail brings content
# from strangers, and Claws Mail draws with GTK 3, no GL. Its accounts,
# settings and the local mailboxes (~/.claws-mail, ~/Mail): its own home;
# attachments saved to Downloads.
[Profile]
description=Claws Mail, in its own home; saves attachments to Downloads
include=desktop.inc
command=claws-mail

[Permissions]
x11=nested
allow=clipboard

[Filesystem]
home=private
rw=-xdg-download

# The internet through pasta, not the host's loopback services (a local
# mail or IMAP server is reached with host-port=PORT).
[Network]
mode=user
