/* The desktop modules: the code that needs libXau and libwayland-client
 * lives in shared modules loaded only when a sandbox is
 * granted x11 or wayland. Linking those libraries into hutch itself cost
 * about 2 ms of dynamic loading on every launch, desktop or not. There is
 * one module per library family (hutch-x11.so, hutch-wayland.so): an X11
 * app does not pay for Wayland. Each module fills in only its part of the
 * table. (Audio needs no module: pulse.c speaks the sound server's protocol
 * itself.)
 *
 * hutch keeps the functions' usual names (x11.c, wayland-secctx.h):
 * desktop-module.c defines them as thin calls through this table, which
 * the module hands out from one exported symbol. */
#pragma once
#include <glib.h>
#include "plan.h"

#define HUTCH_DESKTOP_MODULE_ABI 4
#define HUTCH_DESKTOP_MODULE_SYMBOL "hutch_desktop_module"

typedef struct {
  int abi;
  gboolean (*x11_plan)(HutchPlan *plan, GError **error);
  void (*x11_cleanup)(const char *data);
  gboolean (*wayland_security_context)(HutchPlan *plan, const char *host_socket,
                                       const char *runtime_name, gboolean *offered, char **why_not,
                                       GError **error);
} HutchDesktopModule;

typedef const HutchDesktopModule *(*HutchDesktopModuleGetter)(void);

typedef enum {
  HUTCH_DESKTOP_X11,
  HUTCH_DESKTOP_WAYLAND,
} HutchDesktopPart;

/* Load PART's module once; NULL with error when it is missing or mismatched. */
const HutchDesktopModule *hutch_desktop_module_load(HutchDesktopPart part, GError **error);
