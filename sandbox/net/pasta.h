/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pasta (package passt), the user-mode network stack of --net user: one
 * process per sandbox, started by hutch as the user for the sandbox's own
 * network and user namespaces once they exist, in the foreground so hutch
 * owns it:
 *   - it dies with hutch's main thread (PR_SET_PDEATHSIG, checked against a
 *     parent that died before the setting took), in a session of its own so
 *     a terminal's ^C reaches the app, not the network;
 *   - it tells it is ready, its tap interface configured in the namespace
 *     (--config-net), by writing its pid (--pid) into a pipe hutch reads;
 *   - hutch kills it when the sandbox ends, and records it for stale
 *     cleanup (state.h) in case hutch itself is killed first;
 *   - what it says goes to pasta.log in the sandbox's runtime dir, whose
 *     last line is the error when it fails to start. */
#pragma once
#include <glib.h>
#include <sys/types.h>

#define HUTCH_PASTA_CLEANUP "pasta"

typedef struct HutchPasta HutchPasta;

/* The installed pasta, NULL when there is none. */
char *hutch_pasta_find(void);

/* pasta at PATH with ARGS (its options, without the target pid), logging to
 * LOG_PATH and recording itself in STATE_DIR's cleanup file. Nothing runs
 * until hutch_pasta_start. */
HutchPasta *hutch_pasta_new(const char *path, const char *const *args, const char *log_path,
                            const char *state_dir);
void hutch_pasta_free(HutchPasta *pasta);

/* Start pasta for the namespaces of process TARGET; returns at once. */
gboolean hutch_pasta_start(HutchPasta *pasta, pid_t target, GError **error);
/* Block until pasta says it is ready (FALSE: it failed or timed out, with
 * its own words). A plan task. */
gboolean hutch_pasta_wait_ready(HutchPasta *pasta, GError **error);
/* Kill and reap it (a pasta that ended by itself meanwhile is reported). */
void hutch_pasta_stop(HutchPasta *pasta);

/* The stale-cleanup handler: DATA is "PID START" as recorded. */
void hutch_pasta_cleanup(const char *data);
