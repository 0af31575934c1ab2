/* The desktop modules: the code that needs libX11, libXau, libXext, libpulse
 * and libwayland-client lives in shared modules loaded only when a sandbox
 * is granted x11, wayland or audio. Linking those libraries into hutch
 * itself cost about 2 ms of dynamic loading on every launch, desktop or not.
 * There is one module per library family (hutch-x11.so, hutch-pulse.so,
 * hutch-wayland.so), since libpulse and its dependencies alone take about
 * 2 ms to load: an X11 app does not pay for audio it was not granted. Each
 * module fills in only its part of the table.
 *
 * hutch keeps the functions' usual names (x11.c, pulse.h,
 * wayland-secctx.h): desktop-module.c defines them as thin calls through
 * this table, which the module hands out from one exported symbol. */
#pragma once
#include <glib.h>
#include "plan.h"
#include "pulse.h"

#define HUTCH_DESKTOP_MODULE_ABI 3
#define HUTCH_DESKTOP_MODULE_SYMBOL "hutch_desktop_module"

typedef struct {
  int abi;
  gboolean (*x11_plan)(HutchPlan *plan, GError **error);
  void (*x11_cleanup)(const char *data);
  HutchPulse *(*pulse_connect)(GError **error);
  void (*pulse_free)(HutchPulse *pulse);
  const char *(*pulse_server)(HutchPulse *pulse);
  gboolean (*pulse_is_local)(HutchPulse *pulse);
  gboolean (*pulse_server_info)(HutchPulse *pulse, char **name, char **version, GError **error);
  gboolean (*pulse_load_module)(HutchPulse *pulse, const char *name, const char *argument,
                                guint32 *index, GError **error);
  gboolean (*pulse_unload_module)(HutchPulse *pulse, guint32 index, GError **error);
  GPtrArray *(*pulse_list_modules)(HutchPulse *pulse, GError **error);
  gboolean (*wayland_security_context)(HutchPlan *plan, const char *host_socket,
                                       const char *runtime_name, gboolean *offered, char **why_not,
                                       GError **error);
} HutchDesktopModule;

typedef const HutchDesktopModule *(*HutchDesktopModuleGetter)(void);

typedef enum {
  HUTCH_DESKTOP_X11,
  HUTCH_DESKTOP_PULSE,
  HUTCH_DESKTOP_WAYLAND,
} HutchDesktopPart;

/* Load PART's module once; NULL with error when it is missing or mismatched. */
const HutchDesktopModule *hutch_desktop_module_load(HutchDesktopPart part, GError **error);
