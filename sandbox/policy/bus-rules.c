/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "bus-rules.h"
#include "error.h"
#include <string.h>

/* The D-Bus specification's limit for names, interfaces and paths' elements. */
#define MAX_NAME_LEN 255

static gboolean
element_char(char c, gboolean dash)
{
  return g_ascii_isalnum(c) || c == '_' || (dash && c == '-');
}

/* LEN bytes of S as dot-separated elements of element_char: at least
 * MIN_ELEMENTS of them, none empty, none starting with a digit unless
 * DIGIT_FIRST. */
static gboolean
dotted_name(const char *s, gsize len, guint min_elements, gboolean dash, gboolean digit_first)
{
  guint elements = 1;
  gboolean start = TRUE;
  if (len == 0 || len > MAX_NAME_LEN)
    return FALSE;
  for (gsize i = 0; i < len; i++) {
    if (s[i] == '.') {
      if (start)
        return FALSE;
      elements++;
      start = TRUE;
      continue;
    }
    if (!element_char(s[i], dash) || (start && !digit_first && g_ascii_isdigit(s[i])))
      return FALSE;
    start = FALSE;
  }
  return !start && elements >= min_elements;
}

gboolean
hutch_bus_name_check(const char *name, GError **error)
{
  gsize len = strlen(name);
  if (name[0] == ':')
    return hutch_usage_error(error,
                             "'%s' is a unique connection name, which changes every time; name "
                             "a service by its well-known name",
                             name);
  if (g_str_has_suffix(name, ".*"))
    len -= 2;
  if (!dotted_name(name, len, 2, TRUE, FALSE))
    return hutch_usage_error(
        error,
        "'%s' is not a bus name (two or more elements of letters, digits, _ and -, "
        "separated by dots, such as org.freedesktop.Notifications; NAME.* for a "
        "name and every name below it)",
        name);
  if (strncmp(name, "org.freedesktop.DBus", len) == 0 && len == strlen("org.freedesktop.DBus"))
    return hutch_usage_error(error, "the bus itself is always reachable; it needs no rule");
  return TRUE;
}

static gboolean
member_name(const char *s)
{
  if (!*s || g_ascii_isdigit(*s) || strlen(s) > MAX_NAME_LEN)
    return FALSE;
  for (; *s; s++)
    if (!element_char(*s, FALSE))
      return FALSE;
  return TRUE;
}

/* *, INTERFACE.* or INTERFACE.MEMBER */
static gboolean
method_part(const char *s, gsize len)
{
  if (len == 1 && s[0] == '*')
    return TRUE;
  const char *dot = g_strrstr_len(s, len, ".");
  if (!dot || !dotted_name(s, dot - s, 2, FALSE, FALSE))
    return FALSE;
  g_autofree char *member = g_strndup(dot + 1, len - (dot + 1 - s));
  return g_str_equal(member, "*") || member_name(member);
}

/* An object path, or one ending in slash-star for the subtree below it. */
static gboolean
path_part(const char *s)
{
  g_autofree char *path = g_strdup(s);
  gsize len = strlen(path);
  if (len > 2 && g_str_has_suffix(path, "/*"))
    path[len - 2] = '\0';
  if (path[0] != '/')
    return FALSE;
  if (g_str_equal(path, "/"))
    return TRUE;
  gboolean start = TRUE;
  for (const char *p = path + 1; *p; p++) {
    if (*p == '/') {
      if (start)
        return FALSE;
      start = TRUE;
      continue;
    }
    if (!element_char(*p, FALSE))
      return FALSE;
    start = FALSE;
  }
  return !start;
}

gboolean
hutch_bus_rule_check(const char *rule, GError **error)
{
  const char *at = strchr(rule, '@');
  gsize method_len = at ? (gsize)(at - rule) : strlen(rule);
  if (!*rule || g_str_equal(rule, "@"))
    return hutch_usage_error(error,
                             "an empty rule would allow every call; write talk=NAME for that");
  if (method_len && !method_part(rule, method_len))
    return hutch_usage_error(
        error,
        "'%.*s' is not a method (write *, INTERFACE.* or INTERFACE.METHOD, such as "
        "org.freedesktop.ScreenSaver.Inhibit)",
        (int)method_len, rule);
  if (at && !path_part(at + 1))
    return hutch_usage_error(error,
                             "'%s' is not an object path (write /org/example/Object, or "
                             "/org/example/* for the objects below it)",
                             at + 1);
  return TRUE;
}

gboolean
hutch_app_id_check(const char *id, GError **error)
{
  const char *last = strrchr(id, '.');
  gsize head = last ? (gsize)(last - id) : 0;
  gboolean ok = last && dotted_name(id, head, 1, FALSE, TRUE) && last[1] && strlen(id) <= 255;
  for (const char *p = last ? last + 1 : ""; ok && *p; p++)
    ok = element_char(*p, TRUE);
  if (!ok)
    return hutch_usage_error(
        error,
        "'%s' is not an app id (two or more elements of letters, digits and _, "
        "separated by dots, such as org.example.Editor)",
        id);
  return TRUE;
}

static gboolean
same_rule(const HutchBusRule *r, HutchBus bus, HutchBusAccess access, const char *name,
          const char *rule)
{
  return r->bus == bus && r->access == access && g_str_equal(r->name, name) &&
         g_strcmp0(r->rule, rule) == 0;
}

void
hutch_policy_add_bus_rule(HutchPolicy *policy, HutchBus bus, HutchBusAccess access,
                          const char *name, const char *rule, const char *origin)
{
  for (guint i = 0; i < policy->bus_rules->len; i++) {
    if (same_rule(policy->bus_rules->pdata[i], bus, access, name, rule)) {
      g_ptr_array_remove_index(policy->bus_rules, i);
      break;
    }
  }
  HutchBusRule *r = g_new0(HutchBusRule, 1);
  r->bus = bus;
  r->access = access;
  r->name = g_strdup(name);
  r->rule = g_strdup(rule);
  r->origin = g_strdup(origin);
  g_ptr_array_add(policy->bus_rules, r);
}

void
hutch_policy_forget_bus_name(HutchPolicy *policy, HutchBus bus, const char *name)
{
  for (guint i = policy->bus_rules->len; i-- > 0;) {
    const HutchBusRule *r = policy->bus_rules->pdata[i];
    if (r->bus == bus && (g_str_equal(name, "*") || g_str_equal(r->name, name)))
      g_ptr_array_remove_index(policy->bus_rules, i);
  }
}

gboolean
hutch_policy_has_bus(const HutchPolicy *policy, HutchBus bus)
{
  for (guint i = 0; i < policy->bus_rules->len; i++)
    if (((const HutchBusRule *)policy->bus_rules->pdata[i])->bus == bus)
      return TRUE;
  return FALSE;
}

/* As xdg-dbus-proxy matches: NAME.* covers NAME and every name below it. */
static gboolean
rule_covers(const HutchBusRule *r, const char *name)
{
  if (!g_str_has_suffix(r->name, ".*"))
    return g_str_equal(r->name, name);
  gsize len = strlen(r->name) - 2;
  return strncmp(r->name, name, len) == 0 && (name[len] == '\0' || name[len] == '.');
}

gboolean
hutch_policy_may_call(const HutchPolicy *policy, HutchBus bus, const char *name)
{
  for (guint i = 0; i < policy->bus_rules->len; i++) {
    const HutchBusRule *r = policy->bus_rules->pdata[i];
    if (r->bus == bus && r->access != HUTCH_BUS_SEE && r->access != HUTCH_BUS_BROADCAST &&
        rule_covers(r, name))
      return TRUE;
  }
  return FALSE;
}

char *
hutch_policy_app_id(const HutchPolicy *policy)
{
  if (policy->app_id)
    return g_strdup(policy->app_id);
  g_autofree char *base = NULL;
  const char *name = policy->profile_name;
  if (!name && policy->argv && policy->argv[0])
    name = base = g_path_get_basename(policy->argv[0]);
  GString *id = g_string_new("hutch.sandbox.");
  if (!name || !*name || g_ascii_isdigit(*name))
    g_string_append_c(id, '_');
  for (const char *p = name ? name : ""; *p && id->len < 255; p++)
    g_string_append_c(id, element_char(*p, FALSE) ? *p : '_');
  return g_string_free(id, FALSE);
}

const char *
hutch_bus_name(HutchBus bus)
{
  return bus == HUTCH_BUS_SYSTEM ? "system" : "session";
}

const char *
hutch_bus_access_name(HutchBusAccess access)
{
  static const char *const names[] = {"see", "talk", "own", "call", "broadcast"};
  return access < G_N_ELEMENTS(names) ? names[access] : "?";
}

char *
hutch_bus_rule_describe(const HutchBusRule *rule)
{
  if (rule->rule)
    return g_strdup_printf("%s=%s=%s", hutch_bus_access_name(rule->access), rule->name, rule->rule);
  return g_strdup_printf("%s=%s", hutch_bus_access_name(rule->access), rule->name);
}

char *
hutch_bus_rule_proxy_arg(const HutchBusRule *rule)
{
  g_autofree char *described = hutch_bus_rule_describe(rule);
  return g_strconcat("--", described, NULL);
}
