/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The document portal's D-Bus calls, in hutch-portal.so (documents-portal.h). */
#include "documents-portal.h"
#include "error.h"
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <gio/gunixfdlist.h>
#include <unistd.h>

#define PORTAL_PATH "/org/freedesktop/portal/documents"
#define PORTAL_IFACE "org.freedesktop.portal.Documents"
/* The portal may have to be started by the bus first. */
#define PORTAL_TIMEOUT_MS 10000
/* AddFull and AddNamedFull flags: one document per file, however often
 * it is passed. */
#define ADD_REUSE_EXISTING 1u

struct HutchDocBus {
  GDBusConnection *conn;
};

HutchDocBus *
hutch_doc_portal_connect(const char *address, char **mount, char **why_none)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus =
      g_dbus_connection_new_for_address_sync(address,
                                             G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                 G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                             NULL, NULL, &error);
  g_autoptr(GVariant) reply =
      bus ? g_dbus_connection_call_sync(bus, HUTCH_DOC_PORTAL_NAME, PORTAL_PATH, PORTAL_IFACE,
                                        "GetMountPoint", NULL, G_VARIANT_TYPE("(ay)"),
                                        G_DBUS_CALL_FLAGS_NONE, PORTAL_TIMEOUT_MS, NULL, &error)
          : NULL;
  if (!reply) {
    if (bus)
      g_dbus_connection_close_sync(bus, NULL, NULL);
    g_dbus_error_strip_remote_error(error);
    *why_none =
        g_strdup_printf("%s: %s", bus ? "the session bus says" : "session bus", error->message);
    return NULL;
  }
  g_autoptr(GVariant) path = g_variant_get_child_value(reply, 0);
  *mount = g_strdup(g_variant_get_bytestring(path));
  HutchDocBus *b = g_new0(HutchDocBus, 1);
  b->conn = g_steal_pointer(&bus);
  return b;
}

/* read, and write where the user may write: the portal lets the app do
 * no more with the file than the user could. */
static const char **
permissions(const char *path)
{
  static const char *rw[] = {"read", "write", NULL}, *ro[] = {"read", NULL};
  return access(path, W_OK) == 0 ? rw : ro;
}

static char *
export_existing(HutchDocBus *bus, const char *app_id, const char *path, GError **error)
{
  int fd = open(path, O_PATH | O_CLOEXEC);
  if (fd < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot open %s: %s", path,
                g_strerror(errno));
    return NULL;
  }
  g_autoptr(GUnixFDList) fds = g_unix_fd_list_new_from_array(&fd, 1);
  gint32 handle = 0;
  GVariant *args = g_variant_new(
      "(@ahus^as)", g_variant_new_fixed_array(G_VARIANT_TYPE_HANDLE, &handle, 1, sizeof(handle)),
      ADD_REUSE_EXISTING, app_id, permissions(path));
  g_autoptr(GVariant) reply = g_dbus_connection_call_with_unix_fd_list_sync(
      bus->conn, HUTCH_DOC_PORTAL_NAME, PORTAL_PATH, PORTAL_IFACE, "AddFull", args,
      G_VARIANT_TYPE("(asa{sv})"), G_DBUS_CALL_FLAGS_NONE, PORTAL_TIMEOUT_MS, fds, NULL, NULL,
      error);
  if (!reply)
    return NULL;
  g_autofree const char **ids = NULL;
  g_variant_get(reply, "(^a&s@a{sv})", &ids, NULL);
  return ids && ids[0] ? g_strdup(ids[0]) : NULL;
}

static char *
export_new(HutchDocBus *bus, const char *app_id, const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname(path);
  g_autofree char *name = g_path_get_basename(path);
  int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot open %s: %s", dir, g_strerror(errno));
    return NULL;
  }
  g_autoptr(GUnixFDList) fds = g_unix_fd_list_new_from_array(&fd, 1);
  GVariant *args =
      g_variant_new("(h^ayus^as)", 0, name, ADD_REUSE_EXISTING, app_id, permissions(dir));
  g_autoptr(GVariant) reply = g_dbus_connection_call_with_unix_fd_list_sync(
      bus->conn, HUTCH_DOC_PORTAL_NAME, PORTAL_PATH, PORTAL_IFACE, "AddNamedFull", args,
      G_VARIANT_TYPE("(sa{sv})"), G_DBUS_CALL_FLAGS_NONE, PORTAL_TIMEOUT_MS, fds, NULL, NULL,
      error);
  if (!reply)
    return NULL;
  char *id = NULL;
  g_variant_get(reply, "(s@a{sv})", &id, NULL);
  return id;
}

char *
hutch_doc_portal_export(HutchDocBus *bus, const char *app_id, const char *path, gboolean exists,
                        GError **error)
{
  return exists ? export_existing(bus, app_id, path, error) : export_new(bus, app_id, path, error);
}

void
hutch_doc_portal_close(HutchDocBus *bus)
{
  if (!bus)
    return;
  g_dbus_connection_close_sync(bus->conn, NULL, NULL);
  g_object_unref(bus->conn);
  g_free(bus);
}
