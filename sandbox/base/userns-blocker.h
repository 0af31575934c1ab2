/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Why unprivileged user namespaces are refused on this host, naming the
 * knob to turn; shared by hutch run's error and hutch check's line. */
#pragma once

/* A sentence ("user namespaces are disabled: set ..."), or NULL when no
 * known sysctl or AppArmor setting explains a refusal. */
const char *hutch_userns_blocker(void);

/* A sysctl's value from /proc/sys, stripped; NULL when unreadable. */
char *hutch_read_sysctl(const char *path);
