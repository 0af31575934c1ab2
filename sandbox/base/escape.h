/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What hutch prints must neither act on the terminal nor forge a line:
 * paths, names, variables and commands come from the user, from profiles
 * and from the app, and any of them may hold a newline or an escape
 * sequence. Every printer (the error printer, --dry-run, ls, info, profile
 * show) writes its text through this one function.
 *
 * Written as: \n \r \t for those, \xNN for every other C0 control byte,
 * DEL and each byte that is not valid UTF-8 (paths are bytes), and \uNNNN
 * for C1 controls (U+0080..U+009F: U+009B is a one-byte CSI on some
 * terminals) and the invisible or reordering characters a reader would
 * not see (bidirectional overrides, zero-width marks). Backslashes stay as
 * they are. Plain C, no allocation: the child side of a launch and
 * hutch-init use it too. */
#pragma once
#include <stddef.h>

/* The worst case: one input byte becomes four output bytes ("\xff"). */
#define HUTCH_ESCAPE_MAX_GROWTH 4

/* Escape the NUL-terminated S into OUT (OUT_SIZE bytes, NUL-terminated,
 * cut at a whole escape when too small). Returns the length the whole
 * escaped text needs, not counting the NUL. */
size_t hutch_escape_buf(char *out, size_t out_size, const char *s);

/* TRUE for a character a terminal acts on or a reader cannot see: C0 and
 * C1 controls, DEL, bidirectional marks and overrides, zero-width no-break
 * space. */
int hutch_char_is_hidden(unsigned int ch);
