/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The pure parts of --net user: port rules (policy/), the sandbox's
 * resolv.conf and the netlink rules for the host's addresses (net/). */
#include "host-addrs.h"
#include "policy.h"
#include "resolv.h"
#include <arpa/inet.h>
#include <string.h>
#include <linux/fib_rules.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

static void
test_port_parse(void)
{
  guint16 port;
  HutchPortProto proto;
  g_assert_true(hutch_port_parse("631", &port, &proto));
  g_assert_cmpuint(port, ==, 631);
  g_assert_cmpuint(proto, ==, HUTCH_PORT_TCP);
  g_assert_true(hutch_port_parse("5353/udp", &port, &proto));
  g_assert_cmpuint(port, ==, 5353);
  g_assert_cmpuint(proto, ==, HUTCH_PORT_UDP);
  g_assert_true(hutch_port_parse("65535/tcp", &port, &proto));
  const char *bad[] = {"", "0", "65536", "-1", "80/sctp", "80/", "http", "8080 ", "/udp"};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++)
    g_assert_false(hutch_port_parse(bad[i], &port, &proto));
  HutchPortRule rule = {.port = 53, .proto = HUTCH_PORT_UDP};
  g_autofree char *shown = hutch_port_format(&rule);
  g_assert_cmpstr(shown, ==, "53/udp");
}

static void
test_resolv_conf(void)
{
  g_auto(HutchResolvConf) conf = {0};
  hutch_resolv_conf_build("# a comment\n"
                          "nameserver 127.0.0.53\n"
                          "  nameserver\tfe80::1%eth0\n"
                          "search example.org lan\n"
                          "options edns0 trust-ad\n"
                          "nameserver not-an-address\n",
                          "box", &conf);
  g_assert_true(conf.ipv4);
  g_assert_true(conf.ipv6);
  g_assert_cmpstr(conf.text, ==,
                  "# hutch sandbox box (--net user): pasta forwards DNS sent here to the host's "
                  "resolver\n"
                  "nameserver " HUTCH_DNS_FORWARD4 "\n"
                  "nameserver " HUTCH_DNS_FORWARD6 "\n"
                  "search example.org lan\n"
                  "options edns0 trust-ad\n");
  g_auto(HutchResolvConf) none = {0};
  hutch_resolv_conf_build(NULL, "box", &none);
  g_assert_false(none.ipv4 || none.ipv6);
  g_assert_null(strstr(none.text, "nameserver"));
}

/* One RTM_NEWRULE per address: prohibit, to ADDR/32 or /128, PRIORITY. */
static void
check_rule(const struct nlmsghdr *h, int family, const void *addr, guint32 priority)
{
  g_assert_cmpuint(h->nlmsg_type, ==, RTM_NEWRULE);
  g_assert_cmpuint(h->nlmsg_flags, ==, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
  const struct fib_rule_hdr *frh = NLMSG_DATA(h);
  gsize len = family == AF_INET ? 4 : 16;
  g_assert_cmpint(frh->family, ==, family);
  g_assert_cmpuint(frh->dst_len, ==, len * 8);
  g_assert_cmpuint(frh->action, ==, FR_ACT_PROHIBIT);
  const char *p = (const char *)frh + NLMSG_ALIGN(sizeof(*frh));
  const char *end = (const char *)h + h->nlmsg_len;
  gboolean saw_dst = FALSE, saw_priority = FALSE;
  while (p < end) {
    const struct nlattr *a = (const struct nlattr *)p;
    const void *data = p + NLA_HDRLEN;
    if (a->nla_type == FRA_DST) {
      g_assert_cmpuint(a->nla_len, ==, NLA_HDRLEN + len);
      g_assert_cmpmem(data, len, addr, len);
      saw_dst = TRUE;
    } else if (a->nla_type == FRA_PRIORITY) {
      guint32 value;
      memcpy(&value, data, sizeof(value));
      g_assert_cmpuint(value, ==, priority);
      saw_priority = TRUE;
    }
    p += NLA_ALIGN(a->nla_len);
  }
  g_assert_true(p == end && saw_dst && saw_priority);
}

static void
test_host_addr_rules(void)
{
  g_autoptr(GArray) addrs = g_array_new(FALSE, TRUE, sizeof(HutchHostAddr));
  HutchHostAddr a4 = {.family = AF_INET}, a6 = {.family = AF_INET6};
  inet_pton(AF_INET, "10.1.2.3", a4.addr);
  inet_pton(AF_INET6, "fe80::1", a6.addr);
  g_array_append_val(addrs, a4);
  g_array_append_val(addrs, a6);
  g_autoptr(GByteArray) out = g_byte_array_new();
  hutch_host_addr_rules(addrs, 100, out);
  const struct nlmsghdr *h = (const struct nlmsghdr *)out->data;
  check_rule(h, AF_INET, a4.addr, 100);
  const struct nlmsghdr *h2 = (const struct nlmsghdr *)(out->data + NLMSG_ALIGN(h->nlmsg_len));
  check_rule(h2, AF_INET6, a6.addr, 100);
  g_assert_cmpuint(NLMSG_ALIGN(h->nlmsg_len) + NLMSG_ALIGN(h2->nlmsg_len), ==, out->len);
}

static void
test_host_addresses_leave_out_loopback(void)
{
  g_autoptr(GArray) addrs = hutch_host_addresses();
  for (guint i = 0; i < addrs->len; i++) {
    const HutchHostAddr *a = &g_array_index(addrs, HutchHostAddr, i);
    g_assert_false(a->family == AF_INET && a->addr[0] == 127);
    g_assert_cmpstr(a->text, !=, "::1");
  }
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/net/port-parse", test_port_parse);
  g_test_add_func("/net/resolv-conf", test_resolv_conf);
  g_test_add_func("/net/host-addr-rules", test_host_addr_rules);
  g_test_add_func("/net/host-addresses", test_host_addresses_leave_out_loopback);
  return g_test_run();
}
