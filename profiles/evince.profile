[Profile]
description=Evince document viewer: documents and downloads read-only
include=documents.inc
command=evince

[DBus]
# A GApplication: it owns its id on the session bus, or does not start;
# its daemon keeps one window per document.
own=org.gnome.Evince
talk=org.gnome.evince.Daemon
