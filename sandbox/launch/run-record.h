/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What `hutch run` tells the rest of hutch about its sandbox: the state
 * record that ls, info, stop, freeze and enter read, the --json-status-fd
 * lines, and --detach's "started". */
#pragma once
#include <glib.h>
#include "plan.h"

/* Record the sandbox's state as soon as its init pid is known; launch
 * calls it while the child is still setting up, so the writing costs no
 * launch time. */
void hutch_run_record(HutchPlan *plan, pid_t init_pid);
/* After launch: record the running sandbox (unless done already), wait for the app to start when
 * a launcher asked (--json-status-fd, --detach) and tell it. */
void hutch_run_started(HutchPlan *plan, pid_t init_pid);
/* After the sandbox ended with CODE: the last status line. Returns CODE. */
int hutch_run_finished(HutchPlan *plan, int code);
/* --json-status-fd N must be open; it is kept from the sandbox. */
gboolean hutch_run_check_status_fd(int fd, GError **error);
