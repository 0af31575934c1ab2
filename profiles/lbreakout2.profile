# LBreakout2 draws with SDL 1.2 (sdl12-compat over SDL 2) into an X11
# window, in software: it needs no GLX, so x11=untrusted, unlike the other
# games (gaming.inc), and the display cannot be read or typed into from
# it; no gpu, which it never uses, and no input devices: it is played with
# the mouse or the keys, no controller. SDL 1.2 has no Wayland backend:
# it needs x11 on a Wayland session too. Settings and saved games in
# ~/.lgames: its own home (gaming.inc); the system-wide high-score file
# (setgid games) is not written in hutch, where no privilege is gained on
# exec.
[Profile]
description=LBreakout2 breakout game: saves in its own home
include=gaming.inc
command=/usr/games/lbreakout2

[Permissions]
allow=x11
deny=gpu;input
x11=untrusted
