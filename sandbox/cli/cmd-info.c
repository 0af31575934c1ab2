/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch info NAME: one sandbox in detail, LXC's lxc-info fields and more. */
#include "access.h"
#include "cmd-common.h"
#include "commands.h"
#include "json.h"
#include "print.h"
#include "netdev.h"
#include "util.h"
#include "state.h"
#include "usage.h"
#include <stdio.h>
#include <string.h>

static void
print_line(const char *label, const char *value)
{
  hutch_print_line(stdout, "%-14s %s", label, value);
}

/* One labelled line per item of LIST, the label on the first only. */
static void
print_list(const char *label, char **list, const char *none)
{
  if (!list || !*list) {
    if (none)
      print_line(label, none);
    return;
  }
  for (char **l = list; *l; l++)
    print_line(l == list ? label : "", *l);
}

static void
print_access(const HutchState *st)
{
  g_autoptr(HutchAccess) a = hutch_access_load(st->dir);
  if (!a)
    return;
  static const struct {
    const char *mode, *words;
  } homes[] = {
      {"none", "none (an empty one of its own)"},
      {"private", "private (its own, kept between runs)"},
      {"ro", "yours, read-only"},
      {"rw", "yours, read-write"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(homes); i++)
    if (g_strcmp0(a->home, homes[i].mode) == 0)
      print_line("Home:", homes[i].words);
  print_list("Read-only:", a->ro, NULL);
  print_list("Read-write:", a->rw, NULL);
  print_list("Hidden:", a->hidden, NULL);
  print_list("Fresh:", a->tmpfs, NULL);
  print_list("Devices:", a->devices, "none");
  print_list("Display:", a->display, "none");
}

typedef struct {
  const HutchState *st;
  const HutchUsage *u;
  GArray *devs;   /* NULL when unreadable */
  guint64 rx, tx; /* every interface but loopback */
} Info;

static char *
joined_or(char **list, const char *sep, const char *none)
{
  return list && *list ? g_strjoinv(sep, list) : g_strdup(none);
}

static void
print_text(const Info *info)
{
  const HutchState *st = info->st;
  const HutchUsage *u = info->u;
  g_autofree char *pid = g_strdup_printf("%d", (int)st->init_pid);
  g_autofree char *hutch_pid = g_strdup_printf("%d", (int)st->hutch_pid);
  g_autofree char *command = joined_or(st->command, " ", "");
  g_autofree char *cpu = g_strdup_printf("%.2f seconds", u->cpu_seconds);
  g_autofree char *mem =
      u->memory_bytes >= 0 ? hutch_format_size((guint64)u->memory_bytes) : g_strdup("unknown");
  g_autofree char *procs = g_strdup_printf("%u", u->nprocs);
  g_autofree char *uptime = hutch_format_duration(u->uptime_seconds);
  g_autofree char *perms = joined_or(st->permissions, ", ", "none");
  print_line("Name:", st->name);
  print_line("State:", hutch_sandbox_state_name(u->state));
  print_line("PID:", pid);
  print_line("Hutch PID:", hutch_pid);
  print_line("Profile:", st->profile ? st->profile : "-");
  print_line("Command:", command);
  print_line("CPU use:", cpu);
  print_line("Memory use:", mem);
  print_line("Processes:", procs);
  if (g_strcmp0(st->network, "host") == 0) {
    print_line("Network:", "host (shared with the host; no per-sandbox counters)");
  } else {
    g_autofree char *tx = hutch_format_size(info->tx);
    g_autofree char *rx = hutch_format_size(info->rx);
    print_line("Network:", st->network ? st->network : "none");
    print_line("TX bytes:", tx);
    print_line("RX bytes:", rx);
    for (guint i = 0; info->devs && i < info->devs->len; i++) {
      const HutchNetDev *d = &g_array_index(info->devs, HutchNetDev, i);
      g_autofree char *dtx = hutch_format_size(d->tx_bytes);
      g_autofree char *drx = hutch_format_size(d->rx_bytes);
      g_autofree char *line = g_strdup_printf("%s TX %s, RX %s", d->name, dtx, drx);
      print_line("Link:", line);
    }
  }
  print_line("Permissions:", perms);
  print_access(st);
  if (st->limits && *st->limits) {
    g_auto(GStrv) lines = g_strsplit(st->limits, "\n", -1);
    for (char **l = lines; *l; l++)
      print_line(l == lines ? "Limits:" : "", *l);
  } else {
    print_line("Limits:", "none");
  }
  print_line("Freeze:", g_strcmp0(st->freeze_method, "cgroup") == 0
                            ? "cgroup.freeze"
                            : "SIGSTOP from the sandbox's init");
  if (st->cgroup)
    print_line("Cgroup:", st->cgroup);
  print_line("Seccomp:", st->seccomp ? "filter" : "off");
  print_line("Uptime:", uptime);
  for (int i = 0; i < HUTCH_NS_COUNT; i++) {
    if (!st->ns[i])
      continue;
    g_autofree char *label = g_strdup_printf("NS %s:", hutch_namespaces[i].name);
    g_autofree char *id = g_strdup_printf("%" G_GUINT64_FORMAT, st->ns[i]);
    print_line(label, id);
  }
}

static void
print_json(const Info *info)
{
  const HutchState *st = info->st;
  const HutchUsage *u = info->u;
  g_autoptr(GString) out = g_string_new(NULL);
  HutchJson j;
  hutch_json_init(&j, out);
  hutch_json_begin_object(&j, NULL);
  hutch_json_string(&j, "name", st->name);
  hutch_json_string(&j, "state", hutch_sandbox_state_name(u->state));
  hutch_json_int(&j, "pid", st->init_pid);
  hutch_json_int(&j, "hutch-pid", st->hutch_pid);
  hutch_json_string(&j, "profile", st->profile);
  hutch_json_strv(&j, "command", st->command);
  hutch_json_double(&j, "cpu", u->cpu_seconds);
  if (u->memory_bytes >= 0)
    hutch_json_int(&j, "memory", u->memory_bytes);
  else
    hutch_json_null(&j, "memory");
  hutch_json_int(&j, "processes", u->nprocs);
  hutch_json_string(&j, "network", st->network);
  g_autoptr(HutchAccess) a = hutch_access_load(st->dir);
  if (a) {
    hutch_json_begin_object(&j, "access");
    hutch_json_string(&j, "home", a->home);
    hutch_json_strv(&j, "ro", a->ro);
    hutch_json_strv(&j, "rw", a->rw);
    hutch_json_strv(&j, "hidden", a->hidden);
    hutch_json_strv(&j, "tmpfs", a->tmpfs);
    hutch_json_strv(&j, "devices", a->devices);
    hutch_json_strv(&j, "display", a->display);
    hutch_json_end_object(&j);
  }
  hutch_json_begin_object(&j, "net");
  hutch_json_int(&j, "tx-bytes", (gint64)info->tx);
  hutch_json_int(&j, "rx-bytes", (gint64)info->rx);
  hutch_json_begin_object(&j, "links");
  for (guint i = 0; info->devs && i < info->devs->len; i++) {
    const HutchNetDev *d = &g_array_index(info->devs, HutchNetDev, i);
    hutch_json_begin_object(&j, d->name);
    hutch_json_int(&j, "tx-bytes", (gint64)d->tx_bytes);
    hutch_json_int(&j, "rx-bytes", (gint64)d->rx_bytes);
    hutch_json_end_object(&j);
  }
  hutch_json_end_object(&j);
  hutch_json_end_object(&j);
  hutch_json_strv(&j, "permissions", st->permissions);
  g_auto(GStrv) limits = g_strsplit(st->limits ? st->limits : "", "\n", -1);
  hutch_json_strv(&j, "limits", limits[0] && *limits[0] ? limits : NULL);
  hutch_json_string(&j, "freeze-method", st->freeze_method);
  hutch_json_string(&j, "cgroup", st->cgroup);
  hutch_json_bool(&j, "seccomp", st->seccomp);
  hutch_json_double(&j, "uptime", u->uptime_seconds);
  hutch_json_begin_object(&j, "namespaces");
  for (int i = 0; i < HUTCH_NS_COUNT; i++)
    if (st->ns[i])
      hutch_json_int(&j, hutch_namespaces[i].name, (gint64)st->ns[i]);
  hutch_json_end_object(&j);
  hutch_json_end_object(&j);
  printf("%s\n", out->str);
}

int
hutch_cmd_info(int argc, char **argv, GError **error)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
      {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON object", NULL},
      {NULL},
  };
  g_autoptr(HutchState) st = hutch_cmd_open_sandbox(
      "Show a running sandbox's state and resource use.", entries, &argc, &argv, error);
  if (!st)
    return -1;
  g_autofree HutchUsage *u = hutch_usage_measure_one(st);
  Info info = {.st = st, .u = u};
  info.devs = st->init_pid ? hutch_netdev_read(st->init_pid) : NULL;
  hutch_netdev_totals(info.devs, &info.rx, &info.tx);
  if (json)
    print_json(&info);
  else
    print_text(&info);
  if (info.devs)
    g_array_unref(info.devs);
  return 0;
}
