/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "policy.h"
#include <string.h>

static void
path_rule_free(gpointer p)
{
  HutchPathRule *rule = p;
  g_free(rule->path);
  g_free(rule->origin);
  g_free(rule);
}

static void
syscall_rule_free(gpointer p)
{
  HutchSyscallRule *rule = p;
  g_free(rule->name);
  g_free(rule->origin);
  g_free(rule);
}

static void
port_rule_free(gpointer p)
{
  HutchPortRule *rule = p;
  g_free(rule->origin);
  g_free(rule);
}

static void
bus_rule_free(gpointer p)
{
  HutchBusRule *rule = p;
  g_free(rule->name);
  g_free(rule->rule);
  g_free(rule->origin);
  g_free(rule);
}

HutchPolicy *
hutch_policy_new(void)
{
  HutchPolicy *policy = g_new0(HutchPolicy, 1);
  policy->home = HUTCH_HOME_NONE;
  policy->etc = HUTCH_ETC_HOST;
  policy->net = HUTCH_NET_NONE;
  policy->host_ports = g_ptr_array_new_with_free_func(port_rule_free);
  policy->publish = g_ptr_array_new_with_free_func(port_rule_free);
  policy->x11_mode = HUTCH_X11_UNTRUSTED;
  policy->paths = g_ptr_array_new_with_free_func(path_rule_free);
  policy->env_set = g_ptr_array_new_with_free_func(g_free);
  policy->env_unset = g_ptr_array_new_with_free_func(g_free);
  policy->env_pass = g_ptr_array_new_with_free_func(g_free);
  policy->env_keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  policy->pass_fds = g_array_new(FALSE, FALSE, sizeof(int));
  policy->syscall_allow = g_ptr_array_new_with_free_func(syscall_rule_free);
  policy->syscall_deny = g_ptr_array_new_with_free_func(syscall_rule_free);
  policy->bus_rules = g_ptr_array_new_with_free_func(bus_rule_free);
  policy->json_status_fd = -1;
  policy->sources = g_ptr_array_new_with_free_func(g_free);
  policy->origins = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  return policy;
}

void
hutch_policy_free(HutchPolicy *policy)
{
  if (!policy)
    return;
  g_free(policy->profile_name);
  g_free(policy->sandbox_name);
  g_free(policy->name_base);
  g_free(policy->no_idholder);
  g_ptr_array_unref(policy->paths);
  g_ptr_array_unref(policy->host_ports);
  g_ptr_array_unref(policy->publish);
  g_ptr_array_unref(policy->env_set);
  g_ptr_array_unref(policy->env_unset);
  g_ptr_array_unref(policy->env_pass);
  g_hash_table_unref(policy->env_keys);
  g_free(policy->hostname);
  g_free(policy->chdir);
  g_array_unref(policy->pass_fds);
  g_strfreev(policy->argv);
  g_ptr_array_unref(policy->syscall_allow);
  g_ptr_array_unref(policy->syscall_deny);
  g_ptr_array_unref(policy->bus_rules);
  g_free(policy->app_id);
  g_free(policy->image);
  g_free(policy->description);
  g_ptr_array_unref(policy->sources);
  g_hash_table_unref(policy->origins);
  g_free(policy);
}

void
hutch_policy_add_path(HutchPolicy *policy, HutchPathMode mode, const char *path, const char *origin)
{
  HutchPathRule *rule = g_new0(HutchPathRule, 1);
  rule->mode = mode;
  rule->path = g_strdup(path);
  rule->origin = g_strdup(origin);
  g_ptr_array_add(policy->paths, rule);
}

gboolean
hutch_policy_has(const HutchPolicy *policy, HutchPerm perm)
{
  return (policy->perms & perm) != 0;
}

void
hutch_policy_add_port(GPtrArray *rules, guint16 port, HutchPortProto proto, const char *origin)
{
  for (guint i = 0; i < rules->len; i++) {
    const HutchPortRule *r = rules->pdata[i];
    if (r->port == port && r->proto == proto)
      return;
  }
  HutchPortRule *rule = g_new0(HutchPortRule, 1);
  rule->port = port;
  rule->proto = proto;
  rule->origin = g_strdup(origin);
  g_ptr_array_add(rules, rule);
}

void
hutch_policy_set_origin(HutchPolicy *policy, const char *setting, const char *origin)
{
  if (origin)
    g_hash_table_insert(policy->origins, g_strdup(setting), g_strdup(origin));
  else
    g_hash_table_remove(policy->origins, setting);
}

const char *
hutch_policy_origin(const HutchPolicy *policy, const char *setting)
{
  return g_hash_table_lookup(policy->origins, setting);
}

typedef struct {
  const char *name;
  int value;
} NameValue;

static gboolean
lookup_value(const NameValue *table, const char *s, int *out)
{
  for (; table->name; table++) {
    if (g_str_equal(table->name, s)) {
      *out = table->value;
      return TRUE;
    }
  }
  return FALSE;
}

static const char *
lookup_name(const NameValue *table, int value)
{
  for (; table->name; table++)
    if (table->value == value)
      return table->name;
  return "?";
}

static const NameValue home_modes[] = {
    {"none", HUTCH_HOME_NONE},
    {"private", HUTCH_HOME_PRIVATE},
    {"ro", HUTCH_HOME_RO},
    {"rw", HUTCH_HOME_RW},
    {NULL, 0},
};

static const NameValue etc_modes[] = {
    {"host", HUTCH_ETC_HOST}, {"minimal", HUTCH_ETC_MINIMAL}, {NULL, 0}};

static const NameValue net_modes[] = {
    {"none", HUTCH_NET_NONE}, {"host", HUTCH_NET_HOST}, {"user", HUTCH_NET_USER}, {NULL, 0}};

static const NameValue path_modes[] = {
    {"ro", HUTCH_PATH_RO},
    {"rw", HUTCH_PATH_RW},
    {"hide", HUTCH_PATH_HIDE},
    {"tmpfs", HUTCH_PATH_TMPFS},
    {NULL, 0},
};

static const NameValue perms[] = {
    {"display", HUTCH_PERM_DISPLAY},
    {"x11", HUTCH_PERM_X11},
    {"wayland", HUTCH_PERM_WAYLAND},
    {"audio", HUTCH_PERM_AUDIO},
    {"gpu", HUTCH_PERM_GPU},
    {"input", HUTCH_PERM_INPUT},
    {"shm", HUTCH_PERM_SHM},
    {"ipc", HUTCH_PERM_IPC},
    {"devel", HUTCH_PERM_DEVEL},
    {"nested-sandbox", HUTCH_PERM_NESTED_SANDBOX},
    {"multiarch", HUTCH_PERM_MULTIARCH},
    {"alsa", HUTCH_PERM_ALSA},
    {"microphone", HUTCH_PERM_MICROPHONE},
    {"clipboard", HUTCH_PERM_CLIPBOARD},
    {NULL, 0},
};

gboolean
hutch_home_mode_parse(const char *s, HutchHomeMode *out)
{
  int v;
  if (!lookup_value(home_modes, s, &v))
    return FALSE;
  *out = v;
  return TRUE;
}

const char *
hutch_home_mode_name(HutchHomeMode mode)
{
  return lookup_name(home_modes, mode);
}

gboolean
hutch_etc_mode_parse(const char *s, HutchEtcMode *out)
{
  int v;
  if (!lookup_value(etc_modes, s, &v))
    return FALSE;
  *out = v;
  return TRUE;
}

const char *
hutch_etc_mode_name(HutchEtcMode mode)
{
  return lookup_name(etc_modes, mode);
}

gboolean
hutch_net_mode_parse(const char *s, HutchNetMode *out)
{
  int v;
  if (!lookup_value(net_modes, s, &v))
    return FALSE;
  *out = v;
  return TRUE;
}

const char *
hutch_net_mode_name(HutchNetMode mode)
{
  return lookup_name(net_modes, mode);
}

gboolean
hutch_port_parse(const char *s, guint16 *port, HutchPortProto *proto)
{
  const char *slash = strchr(s, '/');
  g_autofree char *number = slash ? g_strndup(s, slash - s) : g_strdup(s);
  guint64 value;
  if (!g_ascii_string_to_unsigned(number, 10, 1, 65535, &value, NULL))
    return FALSE;
  if (!slash || g_str_equal(slash, "/tcp"))
    *proto = HUTCH_PORT_TCP;
  else if (g_str_equal(slash, "/udp"))
    *proto = HUTCH_PORT_UDP;
  else
    return FALSE;
  *port = (guint16)value;
  return TRUE;
}

char *
hutch_port_format(const HutchPortRule *rule)
{
  return g_strdup_printf("%u/%s", rule->port, rule->proto == HUTCH_PORT_UDP ? "udp" : "tcp");
}

const char *
hutch_path_mode_name(HutchPathMode mode)
{
  return lookup_name(path_modes, mode);
}

gboolean
hutch_perm_parse(const char *s, HutchPerm *out)
{
  int v;
  if (!lookup_value(perms, s, &v))
    return FALSE;
  *out = v;
  return TRUE;
}

const char *
hutch_perm_name(HutchPerm perm)
{
  return lookup_name(perms, perm);
}

const char *const *
hutch_perm_names(void)
{
  static const char *names[G_N_ELEMENTS(perms)];
  if (!names[0])
    for (gsize i = 0; perms[i].name; i++)
      names[i] = perms[i].name;
  return names;
}

static const NameValue x11_modes[] = {{"untrusted", HUTCH_X11_UNTRUSTED},
                                      {"trusted", HUTCH_X11_TRUSTED},
                                      {"nested", HUTCH_X11_NESTED},
                                      {NULL, 0}};

gboolean
hutch_x11_mode_parse(const char *s, HutchX11Mode *out)
{
  int v;
  if (!lookup_value(x11_modes, s, &v))
    return FALSE;
  *out = v;
  return TRUE;
}

const char *
hutch_x11_mode_name(HutchX11Mode mode)
{
  return lookup_name(x11_modes, mode);
}

static const NameValue wayland_modes[] = {{"auto", HUTCH_WAYLAND_AUTO},
                                          {"secure", HUTCH_WAYLAND_SECURE},
                                          {"plain", HUTCH_WAYLAND_PLAIN},
                                          {NULL, 0}};

gboolean
hutch_wayland_mode_parse(const char *s, HutchWaylandMode *out)
{
  int v;
  if (!lookup_value(wayland_modes, s, &v))
    return FALSE;
  *out = v;
  return TRUE;
}

const char *
hutch_wayland_mode_name(HutchWaylandMode mode)
{
  return lookup_name(wayland_modes, mode);
}

/* Every name of TABLE, NULL-terminated (the strings are the table's). */
static const char **
table_names(const NameValue *table)
{
  gsize n = 0;
  while (table[n].name)
    n++;
  const char **names = g_new0(const char *, n + 1);
  for (gsize i = 0; i < n; i++)
    names[i] = table[i].name;
  return names;
}

const char **
hutch_policy_value_names(const char *setting)
{
  static const struct {
    const char *setting;
    const NameValue *table;
  } settings[] = {
      {"perm", perms},    {"home", home_modes},       {"net", net_modes},
      {"x11", x11_modes}, {"wayland", wayland_modes},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(settings); i++)
    if (g_str_equal(settings[i].setting, setting))
      return table_names(settings[i].table);
  return NULL;
}

static const NameValue file_args_modes[] = {
    {"forward", HUTCH_FILE_ARGS_FORWARD}, {"keep", HUTCH_FILE_ARGS_KEEP}, {NULL, 0}};

gboolean
hutch_file_args_parse(const char *s, HutchFileArgs *out)
{
  int v;
  if (!lookup_value(file_args_modes, s, &v))
    return FALSE;
  *out = v;
  return TRUE;
}

const char *
hutch_file_args_name(HutchFileArgs mode)
{
  return lookup_name(file_args_modes, mode);
}
