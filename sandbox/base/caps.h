/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* This thread's capability sets, by raw capget/capset (libhutch's base
 * links no libcap). hutch holds capabilities only where it joined the id
 * holder's user namespace (idholder.h): it keeps CAP_SETUID and CAP_SETGID
 * permitted there and raises them only to write a sandbox's id maps. */
#pragma once
#include <glib.h>

/* Set this thread's permitted and effective sets to the given masks
 * (1 << CAP_*); inheritable is cleared. Returns 0 or an errno. Threads
 * started later inherit the sets. */
int hutch_caps_set(guint64 permitted, guint64 effective);
/* This thread's effective set, 0 when it cannot be read. */
guint64 hutch_caps_effective(void);
