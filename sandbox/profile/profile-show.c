/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch profile show: the resolved policy, one setting a line, each with the
 * file and line that decided it. */
#include "profile.h"
#include <string.h>

static void
row(GString *out, const char *setting, const char *value, const char *origin)
{
  g_string_append_printf(out, "%-14s %-36s %s\n", setting, value, origin ? origin : "(default)");
}

static void
row_origin(GString *out, const HutchPolicy *policy, const char *setting, const char *value)
{
  row(out, setting, value, hutch_policy_origin(policy, setting));
}

static void
show_profile(const HutchPolicy *policy, GString *out)
{
  g_string_append_printf(out, "%-14s %s\n", "profile",
                         policy->profile_name ? policy->profile_name : "(none)");
  /* Lowest precedence first: a later file overrides an earlier one. */
  for (guint i = 0; i < policy->sources->len; i++)
    g_string_append_printf(out, "%-14s %s\n", "file", (char *)policy->sources->pdata[i]);
  if (policy->description)
    row_origin(out, policy, "description", policy->description);
  g_autofree char *command = policy->argv ? g_strjoinv(" ", policy->argv) : NULL;
  row_origin(out, policy, "command", command ? command : "(given on the command line)");
}

static void
show_filesystem(const HutchPolicy *policy, GString *out)
{
  row_origin(out, policy, "home", hutch_home_mode_name(policy->home));
  row_origin(out, policy, "etc", hutch_etc_mode_name(policy->etc));
  for (guint i = 0; i < policy->paths->len; i++) {
    const HutchPathRule *rule = policy->paths->pdata[i];
    g_autofree char *value = g_strconcat(rule->path, rule->optional ? " (if it exists)" : "", NULL);
    row(out, hutch_path_mode_name(rule->mode), value, rule->origin);
  }
}

static void
show_permissions(const HutchPolicy *policy, GString *out)
{
  for (const char *const *name = hutch_perm_names(); *name; name++) {
    HutchPerm perm;
    hutch_perm_parse(*name, &perm);
    g_autofree char *setting = g_strconcat("perm ", *name, NULL);
    row(out, hutch_policy_has(policy, perm) ? "allow" : "deny", *name,
        hutch_policy_origin(policy, setting));
  }
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

static const char *
env_origin(const HutchPolicy *policy, const char *key)
{
  g_autofree char *setting = g_strconcat("env ", key, NULL);
  return hutch_policy_origin(policy, setting);
}

static void
show_environment(const HutchPolicy *policy, GString *out)
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
show_sandbox(const HutchPolicy *policy, GString *out)
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
show_limits(const HutchPolicy *policy, GString *out)
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
hutch_profile_show(const HutchPolicy *policy, GString *out)
{
  show_profile(policy, out);
  show_filesystem(policy, out);
  show_permissions(policy, out);
  show_environment(policy, out);
  show_sandbox(policy, out);
  show_limits(policy, out);
}
