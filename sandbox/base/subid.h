/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where a user's subordinate id ranges come from: /etc/subuid and
 * /etc/subgid read directly (the common case, and fast), or shadow's
 * libsubid when /etc/nsswitch.conf names a "subid:" service other than
 * files (ranges kept by SSSD or FreeIPA). libsubid is loaded only then:
 * linking it would pull PAM, SELinux and audit into every launch. */
#pragma once
#include <glib.h>

typedef struct {
  guint32 start;
  guint32 count;
} HutchSubRange;

/* HutchSubRange of USER (or numeric UID) for uids, or gids when GID is set.
 * *SOURCE names where they came from, for dry-run and hutch check. A line
 * of theirs that is broken is left out, and PROBLEMS (when not NULL) gets
 * a message naming its file and line. */
GArray *hutch_subid_lookup(gboolean gid, const char *user, guint32 uid, const char **source,
                           GPtrArray *problems);

/* The NSS service that serves subordinate ids ("sss"), or NULL for the files. */
char *hutch_subid_nss_service(const char *nsswitch_path);

/* Read NAME:START:COUNT lines (owner by name or numeric id) from a subid
 * file; START and COUNT are unsigned decimal numbers, COUNT at least 1, and
 * the range ends at the last 32-bit id at most. The owner's other lines are
 * left out, with a "FILE:LINE: ..." message in PROBLEMS (when not NULL). */
GArray *hutch_subid_ranges(const char *file, const char *user, guint32 id, GPtrArray *problems);
