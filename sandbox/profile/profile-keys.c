/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "profile-keys.h"
#include "bus-rules.h"
#include "error.h"
#include "util.h"
#include "seccomp-filter.h"
#include "suggest.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* [Profile] ---------------------------------------------------------------- */

static gboolean
apply_description(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  g_free(policy->description);
  policy->description = g_strdup(item);
  hutch_policy_set_origin(policy, "description", origin);
  return TRUE;
}

static gboolean
apply_command(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) local = NULL;
  if (!*item)
    return hutch_usage_error(error, "empty command (write the program and its arguments)");
  if (!g_shell_parse_argv(item, NULL, &argv, &local))
    return hutch_usage_error(error, "not a command line: %s", local->message);
  g_strfreev(policy->argv);
  policy->argv = g_steal_pointer(&argv);
  hutch_policy_set_origin(policy, "command", origin);
  return TRUE;
}

/* [Filesystem] -------------------------------------------------------------- */

static gboolean
apply_home(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  if (!hutch_home_mode_parse(item, &policy->home))
    return hutch_usage_error(error, "unknown mode (use none, private, ro or rw)");
  hutch_policy_set_origin(policy, "home", origin);
  return TRUE;
}

static gboolean
apply_etc(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  if (!hutch_etc_mode_parse(item, &policy->etc))
    return hutch_usage_error(error, "unknown mode (use host or minimal)");
  hutch_policy_set_origin(policy, "etc", origin);
  return TRUE;
}

/* Paths are expanded by the Plan against the real home; here they only need
 * to be expandable, so a profile is checked before anything runs. */
static gboolean
add_path(HutchPolicy *policy, HutchPathMode mode, const char *item, const char *origin,
         GError **error)
{
  /* "-PATH", as in systemd units: a path that may be missing on this host. */
  gboolean optional = item[0] == '-';
  if (optional)
    item++;
  g_autofree char *expanded = hutch_expand_path(item, g_get_home_dir(), error);
  if (!expanded)
    return FALSE;
  /* The later rule for the same path wins; drop the earlier so show tells
   * only what is enforced. */
  for (guint i = 0; i < policy->paths->len; i++) {
    HutchPathRule *rule = policy->paths->pdata[i];
    if (g_str_equal(rule->path, item)) {
      g_ptr_array_remove_index(policy->paths, i);
      break;
    }
  }
  hutch_policy_add_path(policy, mode, item, origin);
  HutchPathRule *added = policy->paths->pdata[policy->paths->len - 1];
  added->optional = optional;
  return TRUE;
}

static gboolean
apply_ro(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  return add_path(policy, HUTCH_PATH_RO, item, origin, error);
}

static gboolean
apply_rw(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  return add_path(policy, HUTCH_PATH_RW, item, origin, error);
}

static gboolean
apply_hide(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  return add_path(policy, HUTCH_PATH_HIDE, item, origin, error);
}

static gboolean
apply_tmpfs(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  return add_path(policy, HUTCH_PATH_TMPFS, item, origin, error);
}

/* [Permissions] ------------------------------------------------------------- */

static gboolean
parse_perm(const char *item, HutchPerm *perm, GError **error)
{
  if (hutch_perm_parse(item, perm))
    return TRUE;
  g_autofree char *hint = hutch_did_you_mean_or_list(item, hutch_perm_names());
  return hutch_usage_error(error, "unknown permission%s", hint);
}

static void
set_perm_origin(HutchPolicy *policy, HutchPerm perm, const char *origin)
{
  g_autofree char *setting = g_strconcat("perm ", hutch_perm_name(perm), NULL);
  hutch_policy_set_origin(policy, setting, origin);
}

static gboolean
apply_allow(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  HutchPerm perm;
  if (!parse_perm(item, &perm, error))
    return FALSE;
  policy->perms |= perm;
  set_perm_origin(policy, perm, origin);
  return TRUE;
}

static gboolean
apply_deny(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  HutchPerm perm;
  if (!parse_perm(item, &perm, error))
    return FALSE;
  policy->perms &= ~perm;
  set_perm_origin(policy, perm, origin);
  return TRUE;
}

static gboolean
apply_x11(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  if (!hutch_x11_mode_parse(item, &policy->x11_mode))
    return hutch_usage_error(error, "unknown mode (use untrusted, trusted or nested)");
  hutch_policy_set_origin(policy, "x11", origin);
  return TRUE;
}

static gboolean
apply_wayland(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  if (!hutch_wayland_mode_parse(item, &policy->wayland_mode))
    return hutch_usage_error(error, "unknown mode (use auto, secure or plain)");
  hutch_policy_set_origin(policy, "wayland", origin);
  return TRUE;
}

static gboolean
apply_file_args(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  if (!hutch_file_args_parse(item, &policy->file_args))
    return hutch_usage_error(error, "unknown mode (use forward or keep)");
  hutch_policy_set_origin(policy, "file-args", origin);
  return TRUE;
}

/* [DBus] -------------------------------------------------------------------- */

/* NAME for see, talk and own; NAME=RULE for call and broadcast. */
static gboolean
add_bus_rule(HutchPolicy *policy, HutchBus bus, HutchBusAccess access, const char *item,
             const char *origin, GError **error)
{
  gboolean ruled = access == HUTCH_BUS_CALL || access == HUTCH_BUS_BROADCAST;
  const char *eq = ruled ? strchr(item, '=') : NULL;
  if (ruled && !eq)
    return hutch_usage_error(error,
                             "expected NAME=RULE, such as "
                             "org.freedesktop.ScreenSaver=org.freedesktop.ScreenSaver.Inhibit");
  g_autofree char *name = eq ? g_strndup(item, eq - item) : g_strdup(item);
  if (!hutch_bus_name_check(name, error) || (eq && !hutch_bus_rule_check(eq + 1, error)))
    return FALSE;
  hutch_policy_add_bus_rule(policy, bus, access, name, eq ? eq + 1 : NULL, origin);
  return TRUE;
}

static gboolean
forget_bus_name(HutchPolicy *policy, HutchBus bus, const char *item, GError **error)
{
  if (!g_str_equal(item, "*") && !hutch_bus_name_check(item, error))
    return FALSE;
  hutch_policy_forget_bus_name(policy, bus, item);
  return TRUE;
}

#define BUS_KEY(fn, bus, access)                                                                   \
  static gboolean fn(HutchPolicy *policy, const char *item, const char *origin, GError **error)    \
  {                                                                                                \
    return add_bus_rule(policy, bus, access, item, origin, error);                                 \
  }
BUS_KEY(apply_see, HUTCH_BUS_SESSION, HUTCH_BUS_SEE)
BUS_KEY(apply_talk, HUTCH_BUS_SESSION, HUTCH_BUS_TALK)
BUS_KEY(apply_own, HUTCH_BUS_SESSION, HUTCH_BUS_OWN)
BUS_KEY(apply_call, HUTCH_BUS_SESSION, HUTCH_BUS_CALL)
BUS_KEY(apply_broadcast, HUTCH_BUS_SESSION, HUTCH_BUS_BROADCAST)
BUS_KEY(apply_system_see, HUTCH_BUS_SYSTEM, HUTCH_BUS_SEE)
BUS_KEY(apply_system_talk, HUTCH_BUS_SYSTEM, HUTCH_BUS_TALK)
BUS_KEY(apply_system_own, HUTCH_BUS_SYSTEM, HUTCH_BUS_OWN)
BUS_KEY(apply_system_call, HUTCH_BUS_SYSTEM, HUTCH_BUS_CALL)
BUS_KEY(apply_system_broadcast, HUTCH_BUS_SYSTEM, HUTCH_BUS_BROADCAST)

static gboolean
apply_no_talk(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  return forget_bus_name(policy, HUTCH_BUS_SESSION, item, error);
}

static gboolean
apply_system_no_talk(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  return forget_bus_name(policy, HUTCH_BUS_SYSTEM, item, error);
}

static gboolean
apply_app_id(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  if (!hutch_app_id_check(item, error))
    return FALSE;
  g_free(policy->app_id);
  policy->app_id = g_strdup(item);
  hutch_policy_set_origin(policy, "app-id", origin);
  return TRUE;
}

/* [Network] ----------------------------------------------------------------- */

static gboolean
apply_net(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  HutchNetMode mode;
  if (!hutch_net_mode_parse(item, &mode))
    return hutch_usage_error(error, "unknown mode (use none, user or host)");
  policy->net = mode;
  hutch_policy_set_origin(policy, "network", origin);
  return TRUE;
}

static gboolean
apply_port(GPtrArray *rules, const char *item, const char *origin, GError **error)
{
  guint16 port;
  HutchPortProto proto;
  if (!hutch_port_parse(item, &port, &proto))
    return hutch_usage_error(error, "expected a port number 1-65535, optionally /tcp or /udp");
  hutch_policy_add_port(rules, port, proto, origin);
  return TRUE;
}

static gboolean
apply_host_port(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  return apply_port(policy->host_ports, item, origin, error);
}

static gboolean
apply_publish(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  return apply_port(policy->publish, item, origin, error);
}

/* [Environment] ------------------------------------------------------------- */

static gboolean
valid_env_key(const char *key, gssize len)
{
  if (len <= 0 || g_ascii_isdigit(key[0]))
    return FALSE;
  for (gssize i = 0; i < len; i++)
    if (!g_ascii_isalnum(key[i]) && key[i] != '_')
      return FALSE;
  return TRUE;
}

/* set, unset and pass of one variable exclude each other: the last one
 * applied decides, and show lists only that one. The lists are searched
 * only for a key given before (env_keys): thousands of --env stay linear. */
static void
forget_env(HutchPolicy *policy, const char *key)
{
  if (!g_hash_table_contains(policy->env_keys, key)) {
    g_hash_table_add(policy->env_keys, g_strdup(key));
    return;
  }
  gsize len = strlen(key);
  for (guint i = policy->env_set->len; i-- > 0;) {
    const char *kv = policy->env_set->pdata[i];
    if (strncmp(kv, key, len) == 0 && kv[len] == '=')
      g_ptr_array_remove_index(policy->env_set, i);
  }
  for (guint i = policy->env_unset->len; i-- > 0;)
    if (g_str_equal(policy->env_unset->pdata[i], key))
      g_ptr_array_remove_index(policy->env_unset, i);
  for (guint i = policy->env_pass->len; i-- > 0;)
    if (g_str_equal(policy->env_pass->pdata[i], key))
      g_ptr_array_remove_index(policy->env_pass, i);
}

static void
set_env_origin(HutchPolicy *policy, const char *key, const char *origin)
{
  g_autofree char *setting = g_strconcat("env ", key, NULL);
  hutch_policy_set_origin(policy, setting, origin);
}

static gboolean
apply_env_set(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  const char *eq = strchr(item, '=');
  if (!eq || !valid_env_key(item, eq - item))
    return hutch_usage_error(error, "expected KEY=VALUE with KEY of letters, digits and _");
  g_autofree char *key = g_strndup(item, eq - item);
  forget_env(policy, key);
  g_ptr_array_add(policy->env_set, g_strdup(item));
  set_env_origin(policy, key, origin);
  return TRUE;
}

static gboolean
add_env_key(HutchPolicy *policy, GPtrArray *list, const char *item, const char *origin,
            GError **error)
{
  if (!valid_env_key(item, strlen(item)))
    return hutch_usage_error(error, "not a variable name (letters, digits and _)");
  forget_env(policy, item);
  g_ptr_array_add(list, g_strdup(item));
  set_env_origin(policy, item, origin);
  return TRUE;
}

static gboolean
apply_env_unset(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  return add_env_key(policy, policy->env_unset, item, origin, error);
}

static gboolean
apply_env_pass(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  return add_env_key(policy, policy->env_pass, item, origin, error);
}

/* [Sandbox] ----------------------------------------------------------------- */

static gboolean
apply_hostname(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  gsize len = strlen(item);
  gboolean ok = len > 0 && len <= 64;
  for (const char *p = item; ok && *p; p++)
    ok = g_ascii_isalnum(*p) || *p == '-' || *p == '.';
  if (!ok)
    return hutch_usage_error(error, "use up to 64 letters, digits, '-' and '.'");
  g_free(policy->hostname);
  policy->hostname = g_strdup(item);
  hutch_policy_set_origin(policy, "hostname", origin);
  return TRUE;
}

static gboolean
apply_chdir(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  if (!g_path_is_absolute(item))
    return hutch_usage_error(error, "must be an absolute path");
  if (hutch_path_has_dotdot(item))
    return hutch_usage_error(error, "'..' is not allowed in paths");
  g_free(policy->chdir);
  policy->chdir = g_strdup(item);
  hutch_policy_set_origin(policy, "chdir", origin);
  return TRUE;
}

/* [Seccomp] ----------------------------------------------------------------- */

/* TRUE when NAME is a system call hutch can filter (known to libseccomp on
 * an architecture hutch filters). */
static gboolean
profile_syscall_name_known(const char *name)
{
  return hutch_seccomp_syscall_known(name);
}

static gboolean
check_syscall_name(const char *name, GError **error)
{
  gboolean ok = *name != '\0';
  for (const char *p = name; ok && *p; p++)
    ok = g_ascii_islower(*p) || g_ascii_isdigit(*p) || *p == '_';
  if (!ok || !profile_syscall_name_known(name))
    return hutch_usage_error(error, "unknown system call '%s' (see syscalls(2) for the names)",
                             name);
  return TRUE;
}

static void
forget_syscall(GPtrArray *rules, const char *name)
{
  for (guint i = rules->len; i-- > 0;) {
    HutchSyscallRule *rule = rules->pdata[i];
    if (g_str_equal(rule->name, name))
      g_ptr_array_remove_index(rules, i);
  }
}

static void
add_syscall(GPtrArray *rules, const char *name, int errnum, const char *origin)
{
  HutchSyscallRule *rule = g_new0(HutchSyscallRule, 1);
  rule->name = g_strdup(name);
  rule->errnum = errnum;
  rule->origin = g_strdup(origin);
  g_ptr_array_add(rules, rule);
}

static gboolean
apply_syscall_allow(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  if (!check_syscall_name(item, error))
    return FALSE;
  forget_syscall(policy->syscall_allow, item);
  forget_syscall(policy->syscall_deny, item);
  add_syscall(policy->syscall_allow, item, 0, origin);
  return TRUE;
}

/* ERRNO as a name (EPERM, ENOSYS, ...) or a number from 1 to 4095. */
static gboolean
parse_errno(const char *s, int *out)
{
  char *end;
  errno = 0;
  long n = strtol(s, &end, 10);
  if (*s && !*end && !errno && n >= 1 && n <= 4095) {
    *out = (int)n;
    return TRUE;
  }
  for (int e = 1; e < 4096; e++) {
    const char *name = strerrorname_np(e);
    if (name && g_str_equal(name, s)) {
      *out = e;
      return TRUE;
    }
  }
  return FALSE;
}

static gboolean
apply_syscall_deny(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  const char *colon = strchr(item, ':');
  g_autofree char *name = colon ? g_strndup(item, colon - item) : g_strdup(item);
  int errnum = 0;
  if (!check_syscall_name(name, error))
    return FALSE;
  if (colon && !parse_errno(colon + 1, &errnum))
    return hutch_usage_error(error, "'%s' is not an errno (use a name such as EPERM or ENOSYS)",
                             colon + 1);
  forget_syscall(policy->syscall_allow, name);
  forget_syscall(policy->syscall_deny, name);
  add_syscall(policy->syscall_deny, name, errnum, origin);
  return TRUE;
}

/* [Limits] ------------------------------------------------------------------ */

/* N, or N with a K, M, G or T suffix (powers of 1024). */
static gboolean
parse_size(const char *s, guint64 *out)
{
  char *end;
  if (!g_ascii_isdigit(*s))
    return FALSE;
  errno = 0;
  guint64 n = g_ascii_strtoull(s, &end, 10);
  if (errno)
    return FALSE;
  static const char units[] = "KMGT";
  const char *unit = *end ? strchr(units, g_ascii_toupper(*end)) : NULL;
  if (*end && (!unit || end[1]))
    return FALSE;
  for (const char *u = units; unit && u <= unit; u++) {
    if (n > G_MAXUINT64 / 1024)
      return FALSE;
    n *= 1024;
  }
  *out = n;
  return TRUE;
}

/* Below this the loader cannot even map libc (RLIMIT_AS) or the kernel
 * kills the init helper (memory.max): the command could never start. */
#define MIN_MEMORY (16 * 1024 * 1024)

static gboolean
apply_memory(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  guint64 bytes = 0;
  if (!g_str_equal(item, "unlimited") && !parse_size(item, &bytes))
    return hutch_usage_error(error, "expected a size of at least 16M (e.g. 512M, 2G) or unlimited");
  if (!g_str_equal(item, "unlimited") && bytes < MIN_MEMORY)
    return hutch_usage_error(error, "too small for any program to start: use at least 16M (e.g. "
                                    "512M, 2G) or unlimited");
  policy->limit_memory = bytes;
  hutch_policy_set_origin(policy, "memory", origin);
  return TRUE;
}

static gboolean
apply_pids(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  guint64 n = 0;
  if (!g_str_equal(item, "unlimited") &&
      (!g_ascii_string_to_unsigned(item, 10, 1, 4194304, &n, NULL)))
    return hutch_usage_error(error,
                             "expected a number of processes from 1 to 4194304, or unlimited");
  policy->limit_pids = n;
  hutch_policy_set_origin(policy, "pids", origin);
  return TRUE;
}

static gboolean
apply_cpu_weight(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  guint64 n;
  if (!g_ascii_string_to_unsigned(item, 10, 1, 10000, &n, NULL))
    return hutch_usage_error(error, "expected a weight from 1 to 10000 (100 is the default share)");
  policy->limit_cpu_weight = (guint)n;
  hutch_policy_set_origin(policy, "cpu-weight", origin);
  return TRUE;
}

/* [Rootfs] ------------------------------------------------------------------ */

const char *
hutch_rootfs_mode_name(HutchRootfsMode mode)
{
  return mode == HUTCH_ROOTFS_OVERLAY ? "overlay" : "host";
}

static gboolean
apply_rootfs(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  if (g_str_equal(item, "host"))
    policy->rootfs = HUTCH_ROOTFS_HOST;
  else if (g_str_equal(item, "overlay"))
    policy->rootfs = HUTCH_ROOTFS_OVERLAY;
  else
    return hutch_usage_error(error, "unknown mode (use host or overlay)");
  hutch_policy_set_origin(policy, "rootfs", origin);
  return TRUE;
}

static gboolean
apply_image(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  /* A NAME from hutch create, or the absolute path of a root filesystem. */
  gboolean ok = *item && *item != '.' && strlen(item) <= 64;
  for (const char *p = item; ok && *p; p++)
    ok = g_ascii_isalnum(*p) || *p == '-' || *p == '_' || *p == '.';
  if (!ok && !g_path_is_absolute(item))
    return hutch_usage_error(error, "not an image name (letters, digits, '.', '-' and '_', as "
                                    "given to hutch create) nor an absolute path");
  g_free(policy->image);
  policy->image = g_strdup(item);
  hutch_policy_set_origin(policy, "image", origin);
  return TRUE;
}

static gboolean
apply_persist(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  if (g_str_equal(item, "true"))
    policy->persist = TRUE;
  else if (g_str_equal(item, "false"))
    policy->persist = FALSE;
  else
    return hutch_usage_error(error, "expected true or false");
  hutch_policy_set_origin(policy, "persist", origin);
  return TRUE;
}

static gboolean
apply_rw_image(HutchPolicy *policy, const char *item, const char *origin, GError **error)
{
  if (g_str_equal(item, "true"))
    policy->rw_image = TRUE;
  else if (g_str_equal(item, "false"))
    policy->rw_image = FALSE;
  else
    return hutch_usage_error(error, "expected true or false");
  hutch_policy_set_origin(policy, "rw-image", origin);
  return TRUE;
}

/* The table ----------------------------------------------------------------- */

#define LIST TRUE
#define ONE FALSE

const HutchProfileKey hutch_profile_keys[] = {
    {"Profile", "description", NULL, NULL, NULL, ONE, 0, apply_description},
    {"Profile", "include", "--include", "NAME", "Apply an include file (NAME.inc) at this level",
     LIST, 0, NULL},
    {"Profile", "command", NULL, NULL, NULL, ONE, 0, apply_command},
    {"Filesystem", "home", "--home", "MODE", "Home: none, private, ro or rw", ONE, 0, apply_home},
    {"Filesystem", "etc", "--etc", "MODE",
     "/etc: host (the host's, less a mask list) or minimal (the few entries most programs read)",
     ONE, 0, apply_etc},
    {"Filesystem", "ro", "--ro", "PATH", "Bind host PATH read-only", LIST, 0, apply_ro},
    {"Filesystem", "rw", "--rw", "PATH", "Bind host PATH read-write", LIST, 0, apply_rw},
    {"Filesystem", "tmpfs", "--tmpfs", "PATH", "Mount a fresh tmpfs at PATH", LIST, 0, apply_tmpfs},
    {"Filesystem", "hide", "--hide", "PATH", "Make PATH empty and unreadable", LIST, 1, apply_hide},
    {"Filesystem", "file-args", "--file-args", "MODE",
     "The app's file arguments: forward (default: through the document portal) or keep", ONE, 0,
     apply_file_args},
    {"Permissions", "allow", "--allow", "PERM", "Grant a permission", LIST, 0, apply_allow},
    {"Permissions", "deny", "--deny", "PERM", "Revoke a permission", LIST, 1, apply_deny},
    {"Permissions", "x11", "--x11", "MODE", "X11 mode: untrusted (default), trusted or nested", ONE,
     0, apply_x11},
    {"Permissions", "wayland", "--wayland", "MODE",
     "Wayland security context: auto (default), secure or plain", ONE, 0, apply_wayland},
    {"Network", "mode", "--net", "MODE", "Network: none, user (through pasta) or host", ONE, 0,
     apply_net},
    {"Network", "host-port", "--host-port", "PORT[/udp]",
     "With --net user: let the sandbox reach this port of the host's loopback", LIST, 0,
     apply_host_port},
    {"Network", "publish", "--publish", "PORT[/udp]",
     "With --net user: forward this host port to the same port in the sandbox", LIST, 0,
     apply_publish},
    {"DBus", "talk", "--talk", "NAME", "Let the app call NAME on the session bus", LIST, 0,
     apply_talk},
    {"DBus", "own", "--own", "NAME", "Let the app own NAME on the session bus", LIST, 0, apply_own},
    {"DBus", "see", "--see", "NAME", "Let the app see NAME on the session bus", LIST, 0, apply_see},
    {"DBus", "call", "--call", "NAME=RULE", "Let the app make the calls RULE to NAME", LIST, 0,
     apply_call},
    {"DBus", "broadcast", "--broadcast", "NAME=RULE",
     "Let the app receive the signals RULE of NAME", LIST, 0, apply_broadcast},
    {"DBus", "no-talk", "--no-talk", "NAME", "Drop every session bus rule for NAME (*: all)", LIST,
     1, apply_no_talk},
    {"DBus", "system-talk", "--system-talk", "NAME", "Let the app call NAME on the system bus",
     LIST, 0, apply_system_talk},
    {"DBus", "system-own", "--system-own", "NAME", "Let the app own NAME on the system bus", LIST,
     0, apply_system_own},
    {"DBus", "system-see", "--system-see", "NAME", "Let the app see NAME on the system bus", LIST,
     0, apply_system_see},
    {"DBus", "system-call", "--system-call", "NAME=RULE",
     "Let the app make the calls RULE to NAME on the system bus", LIST, 0, apply_system_call},
    {"DBus", "system-broadcast", "--system-broadcast", "NAME=RULE",
     "Let the app receive the signals RULE of NAME on the system bus", LIST, 0,
     apply_system_broadcast},
    {"DBus", "system-no-talk", "--system-no-talk", "NAME",
     "Drop every system bus rule for NAME (*: all)", LIST, 1, apply_system_no_talk},
    {"DBus", "app-id", "--app-id", "ID", "The id portals know the app by", ONE, 0, apply_app_id},
    {"Environment", "set", "--env", "KEY=VALUE", "Set a variable", LIST, 0, apply_env_set},
    {"Environment", "unset", "--unset-env", "KEY", "Remove a variable", LIST, 1, apply_env_unset},
    {"Environment", "pass", "--keep-env", "KEY", "Keep a variable hutch would remove", LIST, 0,
     apply_env_pass},
    {"Sandbox", "hostname", "--hostname", "NAME", "Hostname inside", ONE, 0, apply_hostname},
    {"Sandbox", "chdir", "--chdir", "DIR", "Working directory inside", ONE, 0, apply_chdir},
    {"Seccomp", "allow", "--seccomp-allow", "SYSCALL", "Allow a system call the filter refuses",
     LIST, 0, apply_syscall_allow},
    {"Seccomp", "deny", "--seccomp-deny", "SYSCALL[:ERRNO]",
     "Refuse a system call (with EPERM or ERRNO)", LIST, 1, apply_syscall_deny},
    {"Limits", "memory", "--memory", "SIZE", "Memory limit (512M, 2G, unlimited)", ONE, 0,
     apply_memory},
    {"Limits", "pids", "--pids", "N", "Process limit", ONE, 0, apply_pids},
    {"Limits", "cpu-weight", "--cpu-weight", "N", "CPU weight, 1-10000 (default 100)", ONE, 0,
     apply_cpu_weight},
    {"Rootfs", "mode", "--rootfs", "MODE", "Root filesystem: host or overlay", ONE, 0,
     apply_rootfs},
    {"Rootfs", "image", "--image", "NAME", "Root filesystem from an image made by hutch create",
     ONE, 0, apply_image},
    {"Rootfs", "persist", "--persist", NULL, "Keep the overlay's changes between runs", ONE, 0,
     apply_persist},
    {"Rootfs", "rw-image", "--rw-image", NULL, "Let the app change the image", ONE, 0,
     apply_rw_image},
    {NULL},
};

static const char *const section_names[] = {
    "Profile", "Filesystem", "Permissions", "Network", "DBus", "Environment",
    "Sandbox", "Seccomp",    "Limits",      "Rootfs",  NULL,
};

const HutchProfileKey *
hutch_profile_key_find(const char *section, const char *key)
{
  for (const HutchProfileKey *k = hutch_profile_keys; k->section; k++)
    if (g_str_equal(k->section, section) && g_str_equal(k->key, key))
      return k;
  return NULL;
}

const HutchProfileKey *
hutch_profile_key_by_flag(const char *flag)
{
  for (const HutchProfileKey *k = hutch_profile_keys; k->section; k++)
    if (k->flag && g_str_equal(k->flag, flag))
      return k;
  return NULL;
}

const char *const *
hutch_profile_section_names(void)
{
  return section_names;
}

const char **
hutch_profile_key_names(const char *section)
{
  GPtrArray *names = g_ptr_array_new();
  for (const HutchProfileKey *k = hutch_profile_keys; k->section; k++)
    if (g_str_equal(k->section, section))
      g_ptr_array_add(names, (gpointer)k->key);
  g_ptr_array_add(names, NULL);
  return (const char **)g_ptr_array_free(names, FALSE);
}

gboolean
hutch_profile_key_is_include(const HutchProfileKey *key)
{
  return key->apply == NULL;
}
