/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where the user's sound server is, and the cookie to show it, found the
 * way libpulse's clients find them (see pulse-server.c). */
#pragma once
#include <glib.h>

#define HUTCH_PULSE_COOKIE_LENGTH 256

/* Candidate servers in the order libpulse tries them; *servers gets a
 * NULL-terminated list of socket paths (the first may be absent), *remote
 * the first configured server that is not a local socket. */
void hutch_pulse_server_candidates(char ***servers, char **remote, char **cookie_file);
/* Where the cookie may be, in the order libpulse looks: COOKIE_FILE (the
 * setting, may be NULL), $XDG_CONFIG_HOME/pulse/cookie, ~/.pulse-cookie. */
char **hutch_pulse_cookie_files(const char *cookie_file);
/* The cookie, or zeros when there is none: on a local socket the server
 * admits its own user by the socket's credentials anyway. */
void hutch_pulse_read_cookie(const char *cookie_file, guint8 cookie[HUTCH_PULSE_COOKIE_LENGTH]);
