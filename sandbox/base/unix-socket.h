/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Connecting to a server's unix socket by path (the X server, the sound
 * server, the Wayland compositor), close-on-exec. */
#pragma once

/* The connected fd, or -1 with errno (ENAMETOOLONG for a path that does not
 * fit a socket address). */
int hutch_unix_connect(const char *path);
