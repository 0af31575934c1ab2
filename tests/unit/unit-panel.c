/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* panel/: the pure parts of the panel's protection and output: the peer's
 * uid from /proc/net/tcp, the Host/Origin/cookie checks, HTML escaping. */
#include "html.h"
#include "panel-auth.h"
#include "peer-uid.h"
#include <arpa/inet.h>

/* Two ends of one connection, 127.0.0.1:33000 (uid 1001) -> 127.0.0.1:8080
 * (uid 1000), a listener, and a stranger's socket on another port. */
static const char table[] =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
    "inode\n"
    "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 "
    "111 1 0000000000000000 100 0 0 10 0\n"
    "   1: 0100007F:1F90 0100007F:80E8 01 00000000:00000000 00:00000000 00000000  1000        0 "
    "112 1 0000000000000000 20 4 30 10 -1\n"
    "   2: 0100007F:80E8 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1001        0 "
    "113 1 0000000000000000 20 4 30 10 -1\n"
    "   3: 0200007F:80E8 0100007F:1F91 01 00000000:00000000 00:00000000 00000000  1002        0 "
    "114 1 0000000000000000 20 4 30 10 -1\n";

static struct sockaddr_in
end(const char *addr, int port)
{
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  inet_pton(AF_INET, addr, &sa.sin_addr);
  return sa;
}

static void
test_peer_uid(void)
{
  struct sockaddr_in server = end("127.0.0.1", 8080), client = end("127.0.0.1", 33000);
  uid_t uid = 0;
  g_assert_true(hutch_peer_uid_from_table(table, &client, &server, &uid));
  g_assert_cmpuint(uid, ==, 1001); /* the client's row, not the server's (1000) */
  struct sockaddr_in other = end("127.0.0.2", 33000);
  g_assert_false(hutch_peer_uid_from_table(table, &other, &server, &uid));
  struct sockaddr_in gone = end("127.0.0.1", 33001);
  g_assert_false(hutch_peer_uid_from_table(table, &gone, &server, &uid));
  g_assert_false(hutch_peer_uid_from_table("garbage\nmore garbage", &client, &server, &uid));
}

static void
test_checks(void)
{
  g_assert_true(hutch_panel_host_ok("127.0.0.1:8080", 8080));
  const char *bad_hosts[] = {"localhost:8080",
                             "127.0.0.1:8081",
                             "127.0.0.1",
                             "evil.example:8080",
                             "127.0.0.1:8080.evil.example",
                             "",
                             NULL};
  for (const char **h = bad_hosts; *h; h++)
    g_assert_false(hutch_panel_host_ok(*h, 8080));
  g_assert_false(hutch_panel_host_ok(NULL, 8080));
  g_assert_true(hutch_panel_origin_ok("http://127.0.0.1:8080", 8080));
  g_assert_false(hutch_panel_origin_ok("http://127.0.0.1:8081", 8080));
  g_assert_false(hutch_panel_origin_ok("null", 8080));
  g_assert_false(hutch_panel_origin_ok(NULL, 8080));
  g_autofree char *a = hutch_panel_cookie("x=1; hutch_session_8080=abc; y=2", "hutch_session_8080");
  g_assert_cmpstr(a, ==, "abc");
  g_assert_null(hutch_panel_cookie("hutch_session_80800=abc", "hutch_session_8080"));
  g_assert_null(hutch_panel_cookie(NULL, "hutch_session_8080"));
  g_assert_true(hutch_panel_token_equal("abcd", "abcd"));
  g_assert_false(hutch_panel_token_equal("abcd", "abce"));
  g_assert_false(hutch_panel_token_equal("abcd", "abc"));
  g_assert_false(hutch_panel_token_equal(NULL, NULL));
  g_autofree char *t1 = hutch_panel_token_new(NULL);
  g_autofree char *t2 = hutch_panel_token_new(NULL);
  g_assert_cmpuint(strlen(t1), ==, 64);
  g_assert_cmpstr(t1, !=, t2);
}

static void
test_html_escaping(void)
{
  g_autoptr(GString) out = g_string_new(NULL);
  hutch_html(out, "<a href=\"%u\" title=\"%s\">%s</a>%H %d%%", "a b/<c>", "\"'&",
             "<script>x\x1b[31m\xff</script>", "<b>", 7);
  g_assert_cmpstr(out->str, ==,
                  "<a href=\"a%20b%2F%3Cc%3E\" title=\"&quot;&#39;&amp;\">"
                  "&lt;script&gt;x\\x1b[31m\xef\xbf\xbd&lt;/script&gt;</a><b> 7%");
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/panel/peer-uid", test_peer_uid);
  g_test_add_func("/panel/checks", test_checks);
  g_test_add_func("/panel/html", test_html_escaping);
  return g_test_run();
}
