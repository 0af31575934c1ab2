/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* D-Bus passthrough, app side (see dbus.h). Inside, the session bus is
 * $XDG_RUNTIME_DIR/bus and the system bus /run/dbus/system_bus_socket, as
 * everywhere: each a symlink to the proxy's socket in the bound directory
 * (the sockets appear only once the proxy listens, while the sandbox is
 * built, so the directory is bound rather than the sockets).
 *
 * The portals learn who calls them from the process on the other end of
 * the connection, which is the proxy; xdg-desktop-portal (1.16, Debian 12)
 * reads /proc/PID/root/.flatpak-info of that process and, finding one,
 * treats the caller as the sandboxed app it names: files chosen in its
 * file chooser are passed in through the document portal, and its
 * permission checks apply. The proxy's own sandbox carries that file; the
 * app can neither see nor change it. hutch writes only the app's id and
 * whether it has the network, and no instance id: portals that would map
 * the app's processes through flatpak's instance records refuse instead. */
#include "dbus.h"
#include "bus-rules.h"
#include "dbus-address.h"
#include "error.h"
#include "desktop.h"
#include "runtime-files.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define WHY "dbus"

void
hutch_dbus_proxy_spec_free(HutchDbusProxySpec *spec)
{
  if (!spec)
    return;
  g_free(spec->proxy);
  g_ptr_array_unref(spec->args);
  g_ptr_array_unref(spec->sockets);
  g_free(spec->app_id);
  g_free(spec);
}

/* The proxy runs from the host's /usr (or /opt), which its sandbox has. */
static char *
find_proxy(GError **error)
{
  g_autofree char *found = g_find_program_in_path("xdg-dbus-proxy");
  char *real = found ? realpath(found, NULL) : NULL;
  if (real && (g_str_has_prefix(real, "/usr/") || g_str_has_prefix(real, "/opt/")))
    return real;
  free(real);
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "dbus: %s; install the xdg-dbus-proxy package, or drop the [DBus] rules",
              found ? "xdg-dbus-proxy is not installed under /usr or /opt"
                    : "xdg-dbus-proxy is not installed");
  return NULL;
}

/* The address the user's own programs use: the variable, else the
 * per-user bus systemd and dbus-user-session put in the runtime dir. */
char *
hutch_dbus_host_address(HutchBus bus, GError **error)
{
  const char *var =
      bus == HUTCH_BUS_SYSTEM ? "DBUS_SYSTEM_BUS_ADDRESS" : "DBUS_SESSION_BUS_ADDRESS";
  const char *value = g_getenv(var);
  if (value && *value)
    return g_strdup(value);
  if (bus == HUTCH_BUS_SYSTEM)
    return g_strdup("unix:path=/var/run/dbus/system_bus_socket");
  g_autofree char *user_bus = g_build_filename(g_get_user_runtime_dir(), "bus", NULL);
  if (g_file_test(user_bus, G_FILE_TEST_EXISTS))
    return g_strconcat("unix:path=", user_bus, NULL);
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "DBUS_SESSION_BUS_ADDRESS is not set and %s does not exist", user_bus);
  return NULL;
}

/* The host's BUS as a local socket the proxy can reach; FALSE with *WHY
 * when this session has none. */
static gboolean
find_bus(HutchBus bus, HutchBusAddress *out, char **why)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = hutch_dbus_host_address(bus, &error);
  if (!address || !hutch_bus_address_parse(address, out, &error)) {
    *why = g_strdup(error->message);
    return FALSE;
  }
  struct stat st;
  int err = out->kind == HUTCH_BUS_SOCKET_PATH && stat(out->socket, &st) < 0 ? errno : 0;
  if (out->kind == HUTCH_BUS_SOCKET_PATH && (err || !S_ISSOCK(st.st_mode))) {
    *why = g_strdup_printf("%s: %s", out->socket, err ? g_strerror(err) : "not a socket");
    hutch_bus_address_clear(out);
    return FALSE;
  }
  return TRUE;
}

static const char *
proxy_socket_name(HutchBus bus)
{
  return bus == HUTCH_BUS_SYSTEM ? "system-bus" : "bus";
}

/* Where the app finds the bus: the standard path, a symlink to the proxy. */
static void
plan_app_view(HutchPlan *plan, HutchBus bus)
{
  g_autofree char *target =
      g_build_filename(plan->sandbox_runtime_dir, ".dbus-proxy", proxy_socket_name(bus), NULL);
  HutchOp *op;
  if (bus == HUTCH_BUS_SYSTEM) {
    op = hutch_plan_add_op(plan, HUTCH_OP_MKDIR, NULL, "/run/dbus", WHY);
    op->mode = 0755;
    op = hutch_plan_add_op(plan, HUTCH_OP_SYMLINK, NULL, "/run/dbus/system_bus_socket", WHY);
    op->data = g_string_chunk_insert(plan->strings, target);
    hutch_plan_setenv(plan, "DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/run/dbus/system_bus_socket");
    return;
  }
  g_autofree char *link = g_build_filename(plan->sandbox_runtime_dir, "bus", NULL);
  op = hutch_plan_add_op(plan, HUTCH_OP_SYMLINK, NULL, link, WHY);
  op->data = g_string_chunk_insert(plan->strings, ".dbus-proxy/bus");
  g_autofree char *address = g_strconcat("unix:path=", link, NULL);
  hutch_plan_setenv(plan, "DBUS_SESSION_BUS_ADDRESS", address);
}

static void
note_rules(HutchPlan *plan, HutchBus bus)
{
  GPtrArray *rules = plan->policy->bus_rules;
  for (guint i = 0; i < rules->len; i++) {
    const HutchBusRule *rule = rules->pdata[i];
    if (rule->bus != bus)
      continue;
    g_autofree char *described = hutch_bus_rule_describe(rule);
    hutch_plan_note(plan, "dbus: %s bus: %s (%s)", hutch_bus_name(bus), described,
                    rule->origin ? rule->origin : "default");
  }
}

/* The proxy's arguments for one bus, and the app's view of it. */
static void
plan_bus(HutchPlan *plan, HutchBus bus, const HutchBusAddress *address, HutchDbusProxySpec *spec)
{
  g_ptr_array_add(spec->args, g_strdup(address->entry));
  g_ptr_array_add(spec->args, g_build_filename(HUTCH_DBUS_PROXY_DIR, proxy_socket_name(bus), NULL));
  g_ptr_array_add(spec->args, g_strdup("--filter"));
  GPtrArray *rules = plan->policy->bus_rules;
  for (guint i = 0; i < rules->len; i++) {
    const HutchBusRule *rule = rules->pdata[i];
    if (rule->bus == bus)
      g_ptr_array_add(spec->args, hutch_bus_rule_proxy_arg(rule));
  }
  if (address->kind == HUTCH_BUS_SOCKET_PATH)
    g_ptr_array_add(spec->sockets, g_strdup(address->socket));
  else
    spec->host_net = TRUE;
  hutch_plan_note(plan, "dbus: the %s bus (%s) through xdg-dbus-proxy, only as these rules allow:",
                  hutch_bus_name(bus), address->entry);
  note_rules(plan, bus);
  plan_app_view(plan, bus);
}

static gboolean
write_app_info(HutchPlan *plan, const char *app_id, GError **error)
{
  if (!plan->runtime_dir)
    return TRUE;
  gboolean network = plan->policy->net == HUTCH_NET_HOST;
  g_autofree char *text = g_strdup_printf(
      "# The app hutch sandbox %s runs, as xdg-desktop-portal reads it.\n"
      "[Application]\n"
      "name=%s\n"
      "\n"
      "[Instance]\n"
      "session-bus-proxy=%s\n"
      "system-bus-proxy=%s\n"
      "\n"
      "[Context]\n"
      "shared=%s\n",
      plan->name, app_id, hutch_policy_has_bus(plan->policy, HUTCH_BUS_SESSION) ? "true" : "false",
      hutch_policy_has_bus(plan->policy, HUTCH_BUS_SYSTEM) ? "true" : "false",
      network ? "network;ipc;" : "ipc;");
  return hutch_runtime_write(plan, HUTCH_DBUS_INFO, text, error);
}

/* As flatpak does, a bus this session lacks is left out rather than an
 * error: the app runs as it would without the rules (the dry run says so). */
gboolean
hutch_dbus_plan(HutchPlan *plan, HutchDbusProxySpec **spec_out, GError **error)
{
  const HutchPolicy *policy = plan->policy;
  *spec_out = NULL;
  HutchBusAddress found[2] = {{0}};
  gboolean any = FALSE;
  for (HutchBus bus = HUTCH_BUS_SESSION; bus <= HUTCH_BUS_SYSTEM; bus++) {
    g_autofree char *why = NULL;
    if (!hutch_policy_has_bus(policy, bus))
      continue;
    if (find_bus(bus, &found[bus], &why))
      any = TRUE;
    else
      hutch_plan_note(plan, "dbus: no %s bus (%s): the app gets none", hutch_bus_name(bus), why);
  }
  gboolean session = found[HUTCH_BUS_SESSION].entry != NULL;
  g_autoptr(HutchDbusProxySpec) spec = NULL;
  if (any) {
    spec = g_new0(HutchDbusProxySpec, 1);
    spec->args = g_ptr_array_new_with_free_func(g_free);
    spec->sockets = g_ptr_array_new_with_free_func(g_free);
    spec->app_id = hutch_policy_app_id(policy);
    spec->proxy = find_proxy(error);
  }
  for (HutchBus bus = HUTCH_BUS_SESSION; bus <= HUTCH_BUS_SYSTEM; bus++) {
    if (spec && spec->proxy && found[bus].entry)
      plan_bus(plan, bus, &found[bus], spec);
    hutch_bus_address_clear(&found[bus]);
  }
  if (!spec)
    return TRUE;
  if (!spec->proxy)
    return FALSE;
  if (plan->runtime_dir && !hutch_runtime_mkdir(plan, HUTCH_DBUS_DIR, error))
    return FALSE;
  g_autofree char *inside = g_build_filename(plan->sandbox_runtime_dir, ".dbus-proxy", NULL);
  if (!hutch_runtime_bind(plan, HUTCH_DBUS_DIR, inside, HUTCH_OPF_RDONLY, WHY, error) ||
      !write_app_info(plan, spec->app_id, error))
    return FALSE;
  hutch_plan_note(plan, "dbus: portals know the app as %s", spec->app_id);
  /* GTK and GLib use the portals (file chooser, opening links) outside
   * flatpak only when asked to. */
  if (session && hutch_policy_may_call(policy, HUTCH_BUS_SESSION, "org.freedesktop.portal.Desktop"))
    hutch_plan_setenv(plan, "GTK_USE_PORTAL", "1");
  *spec_out = g_steal_pointer(&spec);
  return TRUE;
}
