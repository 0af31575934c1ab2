/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The sandbox's resolv.conf under --net user. The host's resolvers may sit
 * on the host's loopback (systemd-resolved's 127.0.0.53, a dnsmasq), which
 * the sandbox cannot reach; pasta forwards DNS sent to a fixed address to
 * the host's first resolver instead, so the sandbox names that address. */
#pragma once
#include <glib.h>

/* The addresses the sandbox sends DNS to; pasta's --dns-forward. */
#define HUTCH_DNS_FORWARD4 "169.254.1.1"
/* A unique local address (fd68:7574:6368::/48, "hutch" in ASCII). */
#define HUTCH_DNS_FORWARD6 "fd68:7574:6368::53"

typedef struct {
  gboolean ipv4; /* the host has an IPv4 resolver */
  gboolean ipv6; /* ... an IPv6 one */
  char *text;    /* the sandbox's resolv.conf */
} HutchResolvConf;

/* From the host's resolv.conf text HOST (NULL: none): a nameserver line for
 * each address family the host resolves with, the host's search, domain and
 * options lines kept. */
void hutch_resolv_conf_build(const char *host, const char *sandbox_name, HutchResolvConf *out);
void hutch_resolv_conf_clear(HutchResolvConf *conf);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(HutchResolvConf, hutch_resolv_conf_clear)
