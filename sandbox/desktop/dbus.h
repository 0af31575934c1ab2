/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The D-Bus passthrough, app side: a sandbox with bus rules gets each bus
 * it has rules for through one xdg-dbus-proxy, which enforces them. This
 * plans what the app sees (the proxy's sockets, DBUS_*_BUS_ADDRESS) and
 * what the proxy needs (its command line, the host bus sockets, the
 * .flatpak-info that makes xdg-desktop-portal treat the app as sandboxed);
 * launch/dbus-proxy.c runs the proxy in a sandbox of its own. */
#pragma once
#include <glib.h>
#include "plan.h"
#include "policy.h"

/* The proxy's sockets, in this subdirectory of the sandbox's runtime dir;
 * the proxy's sandbox sees it at HUTCH_DBUS_PROXY_DIR, the app's at
 * $XDG_RUNTIME_DIR/.dbus-proxy. */
#define HUTCH_DBUS_DIR "dbus"
#define HUTCH_DBUS_PROXY_DIR "/run/dbus-proxy"
/* The app info the portals read, in the runtime dir; /.flatpak-info in the
 * proxy's sandbox. */
#define HUTCH_DBUS_INFO "flatpak-info"

typedef struct {
  char *proxy;        /* xdg-dbus-proxy, by its resolved path */
  GPtrArray *args;    /* its arguments after --fd=N: ADDRESS SOCKET --filter RULE... per bus */
  GPtrArray *sockets; /* host bus sockets it connects to (bound into its sandbox) */
  gboolean host_net;  /* a bus on an abstract socket: the proxy needs the host's network */
  char *app_id;       /* the name in /.flatpak-info */
} HutchDbusProxySpec;

void hutch_dbus_proxy_spec_free(HutchDbusProxySpec *spec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HutchDbusProxySpec, hutch_dbus_proxy_spec_free)

/* The address of the user's BUS, as the user's own programs find it. */
char *hutch_dbus_host_address(HutchBus bus, GError **error);

/* Plan the app's side; *SPEC is NULL when the policy grants no bus. */
gboolean hutch_dbus_plan(HutchPlan *plan, HutchDbusProxySpec **spec, GError **error);
