# X11: untrusted (media.inc): Audacious draws its Qt or GTK window without
# GL. Its settings and playlists are kept for the session only (media.inc
# gives no home).
[Profile]
description=Audacious music player: music read-only, no network
include=media.inc
command=audacious

[DBus]
# Its remote control (audtool, and a second `audacious FILE` adding to
# the running one) and MPRIS (its mpris2 plugin). Extra instances
# (`audacious -n N`, org.atheme.audacious-N) are not granted.
own=org.atheme.audacious;org.mpris.MediaPlayer2.audacious
