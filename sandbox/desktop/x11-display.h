/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* X11 display names and the abstract-socket note: the part of the X11
 * passthrough that needs no libXau, also used by hutch check. */
#pragma once
#include <glib.h>
#include "plan.h"

#define HUTCH_X11_SOCKET_DIR "/tmp/.X11-unix"

typedef struct {
  char *number; /* N of :N */
  char *screen; /* ".S", or "" */
} HutchX11Display;

void hutch_x11_display_clear(HutchX11Display *d);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(HutchX11Display, hutch_x11_display_clear)

/* Accept only displays reached through a local socket: ":N[.S]" and "unix:N[.S]". */
gboolean hutch_x11_parse_display(const char *value, HutchX11Display *out, GError **error);
/* Say in the plan whether the host's abstract X socket is in reach. */
void hutch_x11_note_abstract_socket(HutchPlan *plan, const char *number, gboolean granted);
