/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wp_security_context_v1 (staging protocol, wayland-protocols 1.32+): the
 * compositor accepts the sandbox's connections on a socket hutch makes, tags
 * them as sandboxed (engine "hutch", the app id, the sandbox name) and may
 * restrict what they can do; it stops accepting when a pipe hutch holds open
 * for the sandbox's life is closed. */
#pragma once
#include "plan.h"

/* Ask the compositor at HOST_SOCKET for a security context whose listening
 * socket is RUNTIME_NAME in the sandbox's runtime dir. *OFFERED says whether
 * the compositor has the protocol; when it lacks it, returns TRUE having done
 * nothing, with *WHY_NOT saying so. A compositor that offers it but fails to
 * set it up is an error: the caller must not fall back. In a dry run only
 * looks. */
gboolean hutch_wayland_security_context(HutchPlan *plan, const char *host_socket,
                                        const char *runtime_name, gboolean *offered, char **why_not,
                                        GError **error);
