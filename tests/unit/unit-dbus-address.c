/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* desktop/dbus-address.c: the local socket a D-Bus address names. */
#include "dbus-address.h"
#include "error.h"

static void
test_sockets(void)
{
  g_auto(HutchBusAddress) a = {0};
  g_assert_true(hutch_bus_address_parse("unix:path=/run/user/1000/bus", &a, NULL));
  g_assert_cmpint(a.kind, ==, HUTCH_BUS_SOCKET_PATH);
  g_assert_cmpstr(a.socket, ==, "/run/user/1000/bus");
  g_assert_cmpstr(a.entry, ==, "unix:path=/run/user/1000/bus");
  hutch_bus_address_clear(&a);

  /* The first usable entry; escapes undone in the socket, kept in the entry. */
  g_assert_true(hutch_bus_address_parse(
      "tcp:host=localhost,port=1;unix:guid=abc,path=/tmp/my%20bus;unix:path=/x", &a, NULL));
  g_assert_cmpstr(a.socket, ==, "/tmp/my bus");
  g_assert_cmpstr(a.entry, ==, "unix:guid=abc,path=/tmp/my%20bus");
  hutch_bus_address_clear(&a);

  g_assert_true(hutch_bus_address_parse("unix:abstract=/tmp/dbus-XYZ,guid=1", &a, NULL));
  g_assert_cmpint(a.kind, ==, HUTCH_BUS_SOCKET_ABSTRACT);
  g_assert_cmpstr(a.socket, ==, "/tmp/dbus-XYZ");
}

static void
test_no_local_socket(void)
{
  const char *bad[] = {"",
                       "tcp:host=127.0.0.1,port=4000",
                       "autolaunch:",
                       "unix:tmpdir=/tmp",
                       "unix:path=relative/bus",
                       "unix:path=",
                       "unix:path=/a%2",
                       "unix:path=/a%zz",
                       "unix:path=/a%00b",
                       "unixpath=/x",
                       NULL};
  for (const char **b = bad; *b; b++) {
    g_auto(HutchBusAddress) a = {0};
    GError *error = NULL;
    g_assert_false(hutch_bus_address_parse(*b, &a, &error));
    g_assert_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST);
    g_assert_null(a.socket);
    g_clear_error(&error);
  }
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/dbus-address/sockets", test_sockets);
  g_test_add_func("/dbus-address/no-local-socket", test_no_local_socket);
  return g_test_run();
}
