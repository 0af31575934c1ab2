/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* D-Bus server addresses ("unix:path=/run/user/1000/bus;..."): which local
 * socket a bus is reached at, so the proxy's sandbox can be given that
 * socket and nothing else. Pure: reads no file. */
#pragma once
#include <glib.h>

typedef enum {
  HUTCH_BUS_SOCKET_PATH,     /* a socket file: bound into the proxy's sandbox */
  HUTCH_BUS_SOCKET_ABSTRACT, /* an abstract socket: only the host's network namespace has it */
} HutchBusSocketKind;

typedef struct {
  HutchBusSocketKind kind;
  char *socket; /* the path, or the abstract name, unescaped */
  char *entry;  /* the entry as the address wrote it, for the proxy to connect to */
} HutchBusAddress;

/* The first unix:path= or unix:abstract= entry of ADDRESS; an address
 * with none (tcp:, autolaunch:, a listening address) is an error saying so. */
gboolean hutch_bus_address_parse(const char *address, HutchBusAddress *out, GError **error);
void hutch_bus_address_clear(HutchBusAddress *address);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(HutchBusAddress, hutch_bus_address_clear)
