/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The desktop modules: code that needs a heavy client library lives in a
 * shared module loaded only when a sandbox is granted what needs it.
 * Linking libX11 and libpulse into hutch once cost about 2 ms of dynamic
 * loading on every launch; those two are gone (x11-proto.c and pulse.c
 * speak their protocols themselves, and libXau is small), which leaves
 * libwayland-client in hutch-wayland.so.
 *
 * hutch keeps the functions' usual names (wayland-secctx.h):
 * desktop-module.c defines them as thin calls through this table, which
 * the module hands out from one exported symbol. */
#pragma once
#include <glib.h>
#include "plan.h"

#define HUTCH_DESKTOP_MODULE_ABI 5
#define HUTCH_DESKTOP_MODULE_SYMBOL "hutch_desktop_module"

typedef struct {
  int abi;
  gboolean (*wayland_security_context)(HutchPlan *plan, const char *host_socket,
                                       const char *runtime_name, gboolean *offered, char **why_not,
                                       GError **error);
} HutchDesktopModule;

typedef const HutchDesktopModule *(*HutchDesktopModuleGetter)(void);

typedef enum {
  HUTCH_DESKTOP_WAYLAND,
} HutchDesktopPart;

/* Load PART's module once; NULL with error when it is missing or mismatched. */
const HutchDesktopModule *hutch_desktop_module_load(HutchDesktopPart part, GError **error);
