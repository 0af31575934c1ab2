/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "host-addrs.h"
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <string.h>
#include <linux/fib_rules.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

static gboolean
is_loopback(const HutchHostAddr *a)
{
  static const guint8 v6_loopback[16] = {[15] = 1};
  if (a->family == AF_INET)
    return a->addr[0] == 127;
  return memcmp(a->addr, v6_loopback, 16) == 0;
}

static gboolean
contains(const GArray *addrs, const HutchHostAddr *a)
{
  gsize len = a->family == AF_INET ? 4 : 16;
  for (guint i = 0; i < addrs->len; i++) {
    const HutchHostAddr *b = &g_array_index(addrs, HutchHostAddr, i);
    if (b->family == a->family && memcmp(b->addr, a->addr, len) == 0)
      return TRUE;
  }
  return FALSE;
}

static gboolean
from_sockaddr(const struct ifaddrs *ifa, HutchHostAddr *out)
{
  memset(out, 0, sizeof(*out));
  if (!ifa->ifa_addr)
    return FALSE;
  out->family = ifa->ifa_addr->sa_family;
  if (out->family == AF_INET) {
    memcpy(out->addr, &((const struct sockaddr_in *)ifa->ifa_addr)->sin_addr, 4);
  } else if (out->family == AF_INET6) {
    memcpy(out->addr, &((const struct sockaddr_in6 *)ifa->ifa_addr)->sin6_addr, 16);
  } else {
    return FALSE;
  }
  inet_ntop(out->family, out->addr, out->text, sizeof(out->text));
  gboolean link_local =
      out->family == AF_INET6 && out->addr[0] == 0xfe && (out->addr[1] & 0xc0) == 0x80;
  if (link_local && ifa->ifa_name) {
    g_autofree char *plain = g_strdup(out->text);
    g_snprintf(out->text, sizeof(out->text), "%s%%%s", plain, ifa->ifa_name);
  }
  return TRUE;
}

GArray *
hutch_host_addresses(void)
{
  GArray *addrs = g_array_new(FALSE, FALSE, sizeof(HutchHostAddr));
  struct ifaddrs *list;
  if (getifaddrs(&list) < 0)
    return addrs;
  for (const struct ifaddrs *ifa = list; ifa; ifa = ifa->ifa_next) {
    HutchHostAddr a;
    if (from_sockaddr(ifa, &a) && !is_loopback(&a) && !contains(addrs, &a))
      g_array_append_val(addrs, a);
  }
  freeifaddrs(list);
  return addrs;
}

static void
append_attr(GByteArray *out, guint16 type, const void *data, guint16 len)
{
  struct nlattr attr = {.nla_len = NLA_HDRLEN + len, .nla_type = type};
  static const guint8 pad[NLA_ALIGNTO];
  g_byte_array_append(out, (const guint8 *)&attr, sizeof(attr));
  g_byte_array_append(out, data, len);
  g_byte_array_append(out, pad, NLA_ALIGN(len) - len);
}

void
hutch_host_addr_rules(const GArray *addrs, guint32 priority, GByteArray *out)
{
  for (guint i = 0; i < addrs->len; i++) {
    const HutchHostAddr *a = &g_array_index(addrs, HutchHostAddr, i);
    guint16 len = a->family == AF_INET ? 4 : 16;
    guint start = out->len;
    struct nlmsghdr h = {
        .nlmsg_type = RTM_NEWRULE,
        .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
        .nlmsg_seq = i + 1,
    };
    struct fib_rule_hdr rule = {
        .family = a->family,
        .dst_len = len * 8,
        .action = FR_ACT_PROHIBIT,
    };
    g_byte_array_append(out, (const guint8 *)&h, sizeof(h));
    g_byte_array_append(out, (const guint8 *)&rule, sizeof(rule));
    append_attr(out, FRA_DST, a->addr, len);
    append_attr(out, FRA_PRIORITY, &priority, sizeof(priority));
    ((struct nlmsghdr *)(out->data + start))->nlmsg_len = out->len - start;
  }
}
