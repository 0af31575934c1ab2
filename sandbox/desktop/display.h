/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The `display` permission: the display the session has, the way flatpak's
 * wayland + fallback-x11 pair works. Wayland where the session runs a
 * compositor (apps draw natively, out of reach of X11's keyboard grabs and
 * selections), X11 only where it does not. A profile that grants x11
 * besides display says its app needs X11 and gets both on a Wayland
 * session (the X display then being the session's Xwayland). */
#pragma once
#include <glib.h>

typedef enum {
  HUTCH_DISPLAY_NONE,
  HUTCH_DISPLAY_WAYLAND,
  HUTCH_DISPLAY_X11,
} HutchDisplayKind;

/* Which display this session has, and *WHY in words (free it). */
HutchDisplayKind hutch_display_of_session(char **why);
