/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "net.h"
#include "error.h"
#include "host-addrs.h"
#include "plan-tasks.h"
#include "resolv.h"
#include "runtime-files.h"
#include <string.h>
#include <sys/stat.h>

#define WHY "network user"
/* After the local table's rule (0), before the main table's (32766). */
#define RULE_PRIORITY 100

/* pasta's spec for the ports of PROTO in RULES: "none" or "631,8080". */
static char *
port_spec(const GPtrArray *rules, HutchPortProto proto)
{
  GString *spec = g_string_new(NULL);
  for (guint i = 0; i < rules->len; i++) {
    const HutchPortRule *rule = rules->pdata[i];
    if (rule->proto == proto)
      g_string_append_printf(spec, "%s%u", spec->len ? "," : "", rule->port);
  }
  if (!spec->len)
    g_string_append(spec, "none");
  return g_string_free(spec, FALSE);
}

static void
add_arg(GPtrArray *args, const char *option, const char *value)
{
  g_ptr_array_add(args, g_strdup(option));
  if (value)
    g_ptr_array_add(args, g_strdup(value));
}

/* Everything pasta is told, but its pid file and the target. The defaults
 * it changes: pasta would map the gateway's address to the host's
 * loopback (--no-map-gw), and forward every port bound on either side
 * (-t/-u/-T/-U auto). */
static GPtrArray *
pasta_args(const HutchPolicy *policy, const HutchResolvConf *resolv, const char *log_path)
{
  GPtrArray *args = g_ptr_array_new_with_free_func(g_free);
  add_arg(args, "--config-net", NULL);
  add_arg(args, "--foreground", NULL);
  add_arg(args, "--quiet", NULL);
  add_arg(args, "--no-map-gw", NULL);
  g_autofree char *pub_tcp = port_spec(policy->publish, HUTCH_PORT_TCP);
  g_autofree char *pub_udp = port_spec(policy->publish, HUTCH_PORT_UDP);
  g_autofree char *host_tcp = port_spec(policy->host_ports, HUTCH_PORT_TCP);
  g_autofree char *host_udp = port_spec(policy->host_ports, HUTCH_PORT_UDP);
  add_arg(args, "--tcp-ports", pub_tcp);
  add_arg(args, "--udp-ports", pub_udp);
  add_arg(args, "--tcp-ns", host_tcp);
  add_arg(args, "--udp-ns", host_udp);
  if (resolv->ipv4)
    add_arg(args, "--dns-forward", HUTCH_DNS_FORWARD4);
  if (resolv->ipv6)
    add_arg(args, "--dns-forward", HUTCH_DNS_FORWARD6);
  if (log_path)
    add_arg(args, "--log-file", log_path);
  g_ptr_array_add(args, NULL);
  return args;
}

static gboolean
missing_pasta(const HutchPolicy *policy, GError **error)
{
  const char *origin = hutch_policy_origin(policy, "network");
  g_autofree char *from = origin && !g_str_has_prefix(origin, "--")
                              ? g_strdup_printf(" (mode=user at %s)", origin)
                              : g_strdup("");
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "--net user%s needs pasta, which is not installed: install the package passt", from);
  return FALSE;
}

/* The host's own addresses become unreachable; the dry run lists them. */
static void
plan_rules(HutchPlan *plan)
{
  g_autoptr(GArray) addrs = hutch_host_addresses();
  hutch_host_addr_rules(addrs, RULE_PRIORITY, plan->netlink);
  GString *list = g_string_new(NULL);
  for (guint i = 0; i < addrs->len; i++)
    g_string_append_printf(list, "%s%s", i ? " " : "", g_array_index(addrs, HutchHostAddr, i).text);
  hutch_plan_note(plan,
                  "network: unreachable: the host's loopback (ports not named by --host-port), "
                  "its own addresses (%s) and its abstract unix sockets",
                  list->len ? list->str : "none but loopback");
  g_string_free(list, TRUE);
}

static gboolean
plan_resolv_conf(HutchPlan *plan, HutchResolvConf *resolv, GError **error)
{
  g_autofree char *host = NULL;
  g_file_get_contents("/etc/resolv.conf", &host, NULL, NULL);
  hutch_resolv_conf_build(host, plan->name, resolv);
  if (!resolv->ipv4 && !resolv->ipv6)
    hutch_plan_note(plan, "network: the host's /etc/resolv.conf names no nameserver: names will "
                          "not resolve in the sandbox");
  if (plan->runtime_dir) {
    g_autofree char *path = hutch_runtime_file(plan, "resolv.conf");
    if (!hutch_runtime_write(plan, "resolv.conf", resolv->text, error))
      return FALSE;
    chmod(path, 0644); /* read by every id in the sandbox, as the host's is */
  }
  const char *dest = plan->resolv_conf ? plan->resolv_conf : "/etc/resolv.conf";
  return hutch_runtime_bind(plan, "resolv.conf", dest, HUTCH_OPF_RDONLY, WHY, error);
}

static void
stop_pasta(HutchHostResource *res)
{
  hutch_pasta_stop(res->data);
}

static gboolean
wait_pasta(gpointer data, GError **error)
{
  return hutch_pasta_wait_ready(data, error);
}

/* On the launch's main thread, so pasta's parent-death signal follows
 * hutch itself rather than a task thread. */
static gboolean
start_pasta(HutchPlan *plan, gpointer data, pid_t pid, GError **error)
{
  if (!hutch_pasta_start(data, pid, error)) {
    g_prefix_error(error, "network: ");
    return FALSE;
  }
  hutch_plan_start_task(plan, wait_pasta, data);
  return TRUE;
}

static char *
quoted_command(const char *path, GPtrArray *args)
{
  GString *s = g_string_new(path);
  for (guint i = 0; i + 1 < args->len; i++) {
    const char *arg = args->pdata[i];
    gboolean plain = *arg && arg[strspn(arg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                             "0123456789-_.,:/=@%+")] == '\0';
    g_autofree char *q = plain ? g_strdup(arg) : g_shell_quote(arg);
    g_string_append_printf(s, " %s", q);
  }
  return g_string_free(s, FALSE);
}

static void
note_ignored_ports(HutchPlan *plan)
{
  const HutchPolicy *policy = plan->policy;
  const GPtrArray *lists[] = {policy->host_ports, policy->publish};
  const char *names[] = {"host-port", "publish"};
  for (guint l = 0; l < G_N_ELEMENTS(lists); l++)
    for (guint i = 0; i < lists[l]->len; i++) {
      const HutchPortRule *rule = lists[l]->pdata[i];
      g_autofree char *port = hutch_port_format(rule);
      hutch_plan_note(plan, "network: %s %s (%s) ignored: it applies to --net user only", names[l],
                      port, rule->origin ? rule->origin : "default");
    }
}

gboolean
hutch_network_plan(HutchPlan *plan, GError **error)
{
  const HutchPolicy *policy = plan->policy;
  if (policy->net != HUTCH_NET_USER) {
    note_ignored_ports(plan);
    return TRUE;
  }
  g_autofree char *path = hutch_pasta_find();
  if (!path)
    return missing_pasta(policy, error);
  g_auto(HutchResolvConf) resolv = {0};
  if (!plan_resolv_conf(plan, &resolv, error))
    return FALSE;
  plan_rules(plan);
  plan->ping_group_range = g_strdup_printf("%u %u\n", (unsigned)plan->gid, (unsigned)plan->gid);
  g_autofree char *log_path = hutch_runtime_file(plan, "pasta.log");
  g_autoptr(GPtrArray) args = pasta_args(policy, &resolv, log_path);
  g_autofree char *command = quoted_command(path, args);
  hutch_plan_note(plan, "network: pasta: %s --pid=... SANDBOX-PID", command);
  if (!plan->runtime_dir) /* dry run */
    return TRUE;
  HutchPasta *pasta =
      hutch_pasta_new(path, (const char *const *)args->pdata, log_path, plan->runtime_dir);
  hutch_plan_add_resource(plan, "pasta", stop_pasta, pasta, (GDestroyNotify)hutch_pasta_free);
  hutch_plan_on_child(plan, start_pasta, pasta);
  return TRUE;
}
