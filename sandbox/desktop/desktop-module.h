/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The desktop modules: code that needs a client library lives in a shared
 * module loaded only when a sandbox is granted what needs it, so a launch
 * without it loads none of that library. hutch-x11.so links libX11,
 * libXext, libXau and libxcb (x11-xserver.h); hutch-wayland.so links
 * libwayland-client (wayland-secctx.h); hutch-portal.so links GIO for the
 * document portal's D-Bus calls (documents-portal.h), so that no other
 * launch pays GIO's loading. Audio needs none: pulse.c speaks
 * the sound server's protocol itself (see DESIGN.md).
 *
 * hutch keeps the functions' usual names: desktop-module.c defines them as
 * thin calls through this table, which each module hands out, with its
 * part filled in, from one exported symbol. */
#pragma once
#include <glib.h>
#include "plan.h"
#include "documents-portal.h"
#include "x11-display.h"
#include "x11-xserver.h"

#define HUTCH_DESKTOP_MODULE_ABI 8
#define HUTCH_DESKTOP_MODULE_SYMBOL "hutch_desktop_module"

typedef struct {
  int abi;
  gboolean (*x11_plan_untrusted)(HutchPlan *plan, const char *name, const HutchX11Display *d,
                                 const char *xauth, GError **error);
  gboolean (*x11_make_untrusted)(HutchX11Untrusted *u, GError **error);
  void (*x11_revoke_untrusted)(HutchX11Untrusted *u);
  gboolean (*x11_plan_trusted)(HutchPlan *plan, const char *name, const HutchX11Display *d,
                               const char *xauth, gboolean *have_cookie, GError **error);
  gboolean (*x11_refuse_cookieless)(HutchPlan *plan, const char *name, const HutchX11Display *d,
                                    GError **error);
  gboolean (*x11_probe)(const char *display, gboolean *security, char **cookieless, GError **error);
  gboolean (*wayland_security_context)(HutchPlan *plan, const char *host_socket,
                                       const char *runtime_name, gboolean *offered, char **why_not,
                                       GError **error);
  HutchDocBus *(*doc_portal_connect)(const char *address, char **mount, char **why_none);
  char *(*doc_portal_export)(HutchDocBus *bus, const char *app_id, const char *path,
                             gboolean exists, GError **error);
  void (*doc_portal_close)(HutchDocBus *bus);
} HutchDesktopModule;

typedef const HutchDesktopModule *(*HutchDesktopModuleGetter)(void);

typedef enum {
  HUTCH_DESKTOP_X11,
  HUTCH_DESKTOP_WAYLAND,
  HUTCH_DESKTOP_PORTAL,
} HutchDesktopPart;

/* Load PART's module once; NULL with error when it is missing or
 * mismatched. Any thread may call it (a plan task loads hutch-x11.so). */
const HutchDesktopModule *hutch_desktop_module_load(HutchDesktopPart part, GError **error);
/* Start loading PART's module on a thread of its own (a load can take a
 * millisecond; a launch that will need it starts this before it plans);
 * the first hutch_desktop_module_load waits for it. Whoever started it
 * calls hutch_desktop_module_prefetch_end before it returns. */
void hutch_desktop_module_prefetch(HutchDesktopPart part);
void hutch_desktop_module_prefetch_end(void);
