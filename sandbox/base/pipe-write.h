/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Writing to a pipe whose reader may be gone (a child that died, a status
 * reader that went away): a closed reader must not kill hutch with SIGPIPE,
 * and ignoring SIGPIPE would leak into the sandbox, so it is blocked for
 * the write and whatever is pending is dropped. */
#pragma once
#include <glib.h>

/* TRUE when all LEN bytes were written. */
gboolean hutch_pipe_write(int fd, const void *buf, gsize len);
