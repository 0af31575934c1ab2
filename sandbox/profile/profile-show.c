/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch profile show: the resolved policy, one setting a line, each with the
 * file and line that decided it. */
#include "profile.h"
#include "bus-rules.h"
#include "print.h"
#include <string.h>

typedef struct {
  HutchProfileRowFn fn;
  gpointer data;
} Rows;

static void
row(Rows *out, const char *setting, const char *value, const char *origin)
{
  out->fn(setting, value, origin, out->data);
}

static void
row_origin(Rows *out, const HutchPolicy *policy, const char *setting, const char *value)
{
  row(out, setting, value, hutch_policy_origin(policy, setting));
}

static void
show_profile(const HutchPolicy *policy, Rows *out)
{
  if (policy->description)
    row_origin(out, policy, "description", policy->description);
  g_autofree char *command = policy->argv ? g_strjoinv(" ", policy->argv) : NULL;
  row_origin(out, policy, "command", command ? command : "(given on the command line)");
}

static void
show_filesystem(const HutchPolicy *policy, Rows *out)
{
  row_origin(out, policy, "home", hutch_home_mode_name(policy->home));
  row_origin(out, policy, "etc", hutch_etc_mode_name(policy->etc));
  for (guint i = 0; i < policy->paths->len; i++) {
    const HutchPathRule *rule = policy->paths->pdata[i];
    g_autofree char *value = g_strconcat(rule->path, rule->optional ? " (if it exists)" : "", NULL);
    row(out, hutch_path_mode_name(rule->mode), value, rule->origin);
  }
  row_origin(out, policy, "file-args", hutch_file_args_name(policy->file_args));
}

/* What the audio relay lets the app do (hutch(1) AUDIO has the details). */
static const char *
audio_summary(const HutchPolicy *policy)
{
  gboolean mic = hutch_policy_has(policy, HUTCH_PERM_MICROPHONE);
  if (!hutch_policy_has(policy, HUTCH_PERM_AUDIO))
    return mic ? "none (microphone needs audio)" : "none";
  return mic ? "play and record, filtered by hutch" : "play only, filtered by hutch";
}

static void
show_permissions(const HutchPolicy *policy, Rows *out)
{
  for (const char *const *name = hutch_perm_names(); *name; name++) {
    HutchPerm perm;
    hutch_perm_parse(*name, &perm);
    g_autofree char *setting = g_strconcat("perm ", *name, NULL);
    row(out, hutch_policy_has(policy, perm) ? "allow" : "deny", *name,
        hutch_policy_origin(policy, setting));
  }
  row(out, "audio", audio_summary(policy), hutch_policy_origin(policy, "perm audio"));
  row_origin(out, policy, "x11", hutch_x11_mode_name(policy->x11_mode));
  row_origin(out, policy, "wayland", hutch_wayland_mode_name(policy->wayland_mode));
  row_origin(out, policy, "network", hutch_net_mode_name(policy->net));
  for (guint i = 0; i < policy->host_ports->len; i++) {
    const HutchPortRule *rule = policy->host_ports->pdata[i];
    g_autofree char *value = hutch_port_format(rule);
    row(out, "host-port", value, rule->origin);
  }
  for (guint i = 0; i < policy->publish->len; i++) {
    const HutchPortRule *rule = policy->publish->pdata[i];
    g_autofree char *value = hutch_port_format(rule);
    row(out, "publish", value, rule->origin);
  }
}

/* Rows "dbus talk", "system-dbus call", ... ; none: the bus is not given. */
static void
show_dbus(const HutchPolicy *policy, Rows *out)
{
  for (HutchBus bus = HUTCH_BUS_SESSION; bus <= HUTCH_BUS_SYSTEM; bus++) {
    const char *prefix = bus == HUTCH_BUS_SYSTEM ? "system " : "";
    if (!hutch_policy_has_bus(policy, bus))
      row(out, bus == HUTCH_BUS_SYSTEM ? "system bus" : "session bus", "none", "(no rule)");
    for (guint i = 0; i < policy->bus_rules->len; i++) {
      const HutchBusRule *rule = policy->bus_rules->pdata[i];
      if (rule->bus != bus)
        continue;
      g_autofree char *setting = g_strconcat(prefix, hutch_bus_access_name(rule->access), NULL);
      g_autofree char *value =
          rule->rule ? g_strdup_printf("%s=%s", rule->name, rule->rule) : g_strdup(rule->name);
      row(out, setting, value, rule->origin);
    }
  }
  g_autofree char *app_id = hutch_policy_app_id(policy);
  row_origin(out, policy, "app-id", app_id);
}

static const char *
env_origin(const HutchPolicy *policy, const char *key)
{
  g_autofree char *setting = g_strconcat("env ", key, NULL);
  return hutch_policy_origin(policy, setting);
}

static void
show_environment(const HutchPolicy *policy, Rows *out)
{
  for (guint i = 0; i < policy->env_set->len; i++) {
    const char *kv = policy->env_set->pdata[i];
    g_autofree char *key = g_strndup(kv, strcspn(kv, "="));
    row(out, "env set", kv, env_origin(policy, key));
  }
  for (guint i = 0; i < policy->env_unset->len; i++)
    row(out, "env unset", policy->env_unset->pdata[i],
        env_origin(policy, policy->env_unset->pdata[i]));
  for (guint i = 0; i < policy->env_pass->len; i++)
    row(out, "env pass", policy->env_pass->pdata[i],
        env_origin(policy, policy->env_pass->pdata[i]));
}

static void
show_sandbox(const HutchPolicy *policy, Rows *out)
{
  row_origin(out, policy, "hostname", policy->hostname ? policy->hostname : "(host's)");
  row_origin(out, policy, "chdir", policy->chdir ? policy->chdir : "(the caller's directory)");
  for (guint i = 0; i < policy->syscall_allow->len; i++) {
    const HutchSyscallRule *rule = policy->syscall_allow->pdata[i];
    row(out, "seccomp allow", rule->name, rule->origin);
  }
  for (guint i = 0; i < policy->syscall_deny->len; i++) {
    const HutchSyscallRule *rule = policy->syscall_deny->pdata[i];
    const char *errname = rule->errnum ? strerrorname_np(rule->errnum) : NULL;
    g_autofree char *value = !rule->errnum ? g_strdup(rule->name)
                             : errname     ? g_strdup_printf("%s:%s", rule->name, errname)
                                           : g_strdup_printf("%s:%d", rule->name, rule->errnum);
    row(out, "seccomp deny", value, rule->origin);
  }
}

/* In the unit a profile would use: 512M, 2G; 0 is unlimited. */
static char *
format_size(guint64 bytes)
{
  static const char units[] = "KMGT";
  int unit = -1;
  if (!bytes)
    return g_strdup("unlimited");
  while (unit < 3 && bytes % 1024 == 0) {
    bytes /= 1024;
    unit++;
  }
  return unit < 0 ? g_strdup_printf("%" G_GUINT64_FORMAT, bytes)
                  : g_strdup_printf("%" G_GUINT64_FORMAT "%c", bytes, units[unit]);
}

static void
show_limits(const HutchPolicy *policy, Rows *out)
{
  g_autofree char *memory = format_size(policy->limit_memory);
  row_origin(out, policy, "memory", memory);
  g_autofree char *pids = policy->limit_pids
                              ? g_strdup_printf("%" G_GUINT64_FORMAT, policy->limit_pids)
                              : g_strdup("unlimited");
  row_origin(out, policy, "pids", pids);
  g_autofree char *weight = policy->limit_cpu_weight
                                ? g_strdup_printf("%u", policy->limit_cpu_weight)
                                : g_strdup("100 (the system's default)");
  row_origin(out, policy, "cpu-weight", weight);
  row_origin(out, policy, "rootfs", hutch_rootfs_mode_name(policy->rootfs));
  row_origin(out, policy, "image", policy->image ? policy->image : "(none)");
  row_origin(out, policy, "persist", policy->persist ? "true" : "false");
  row_origin(out, policy, "rw-image", policy->rw_image ? "true" : "false");
}

void
hutch_profile_show_rows(const HutchPolicy *policy, HutchProfileRowFn fn, gpointer data)
{
  Rows out = {fn, data};
  show_profile(policy, &out);
  show_filesystem(policy, &out);
  show_permissions(policy, &out);
  show_dbus(policy, &out);
  show_environment(policy, &out);
  show_sandbox(policy, &out);
  show_limits(policy, &out);
}

static void
text_row(const char *setting, const char *value, const char *origin, gpointer data)
{
  g_autofree char *v = hutch_escape(value);
  g_autofree char *o = hutch_escape(origin ? origin : "(default)");
  g_string_append_printf(data, "%-14s %-36s %s\n", setting, v, o);
}

void
hutch_profile_show(const HutchPolicy *policy, GString *out)
{
  /* A value or file name may hold a control character (a path given on the
   * command line): each shows escaped, on its own line. */
  g_autofree char *name = hutch_escape(policy->profile_name ? policy->profile_name : "(none)");
  g_string_append_printf(out, "%-14s %s\n", "profile", name);
  /* Lowest precedence first: a later file overrides an earlier one. */
  for (guint i = 0; i < policy->sources->len; i++) {
    g_autofree char *file = hutch_escape(policy->sources->pdata[i]);
    g_string_append_printf(out, "%-14s %s\n", "file", file);
  }
  hutch_profile_show_rows(policy, text_row, out);
}
