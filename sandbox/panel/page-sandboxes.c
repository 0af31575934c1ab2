/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The sandboxes: the live table (/ and /events), a sandbox in detail
 * (/sandbox/NAME) and the actions on one (stop, freeze, thaw). The same
 * state/ calls as hutch ls, info, stop, freeze and thaw. */
#include "error.h"
#include "freeze.h"
#include "html.h"
#include "json.h"
#include "netdev.h"
#include "panel.h"
#include "run-mounts.h"
#include "state.h"
#include "stop.h"
#include "usage.h"
#include "util.h"

#define TABLE_TICK_MS 1000

/* One sandbox as the table shows it. */
typedef struct {
  const char *name, *profile, *state;
  char *pid, *cpu, *memory, *uptime, *command, *processes;
} Row;

static void
row_init(Row *r, const HutchState *st, const HutchUsage *u)
{
  r->name = st->name;
  r->profile = st->profile ? st->profile : "-";
  r->state = hutch_sandbox_state_name(u->state);
  r->pid = st->init_pid ? g_strdup_printf("%d", (int)st->init_pid) : g_strdup("-");
  r->cpu = g_strdup_printf("%.2f", u->cpu_seconds);
  r->memory = u->memory_bytes >= 0 ? hutch_format_size((guint64)u->memory_bytes) : g_strdup("-");
  r->uptime = hutch_format_duration(u->uptime_seconds);
  r->command = st->command ? g_strjoinv(" ", st->command) : g_strdup("");
  r->processes = g_strdup_printf("%u", u->nprocs);
}

static void
row_clear(Row *r)
{
  g_free(r->pid);
  g_free(r->cpu);
  g_free(r->memory);
  g_free(r->uptime);
  g_free(r->command);
  g_free(r->processes);
}

/* --- actions ------------------------------------------------------------ */

static void
action_form(GString *page, HutchPanelRequest *req, const char *name, const char *action,
            const char *label, const char *shown_in, const char *state)
{
  g_autofree char *path = hutch_panel_path("/sandbox/", name, NULL);
  g_autofree char *target = g_strconcat(path, "/", action, NULL);
  hutch_panel_form_begin(page, req, target, "action");
  gboolean shown = strstr(shown_in, state) != NULL;
  hutch_html(page, "<button type=\"submit\" data-show=\"%s\"%H>%s</button></form>", shown_in,
             shown ? "" : " hidden", label);
}

static void
action_forms(GString *page, HutchPanelRequest *req, const char *name, const char *state)
{
  action_form(page, req, name, "freeze", "Freeze", "RUNNING", state);
  action_form(page, req, name, "thaw", "Thaw", "FROZEN", state);
  action_form(page, req, name, "stop", "Stop", "RUNNING FROZEN STARTING", state);
}

/* --- the table ---------------------------------------------------------- */

static const char *const columns[] = {"Name",   "Profile", "State",   "PID", "CPU s",
                                      "Memory", "Uptime",  "Command", NULL};

static void
table_row(GString *page, HutchPanelRequest *req, const Row *r)
{
  g_autofree char *href = hutch_panel_path("/sandbox/", r->name, NULL);
  hutch_html(page, "<tr data-name=\"%s\">\n<td data-label=\"Name\"><a href=\"%s\">%s</a></td>\n",
             r->name, href, r->name);
  const char *fields[][2] = {{"profile", r->profile}, {"state", r->state},   {"pid", r->pid},
                             {"cpu", r->cpu},         {"memory", r->memory}, {"uptime", r->uptime},
                             {"command", r->command}};
  for (gsize i = 0; i < G_N_ELEMENTS(fields); i++)
    hutch_html(page, "<td data-label=\"%s\" data-field=\"%s\">%s</td>\n", columns[i + 1],
               fields[i][0], fields[i][1]);
  hutch_html(page, "<td data-label=\"Actions\" class=\"actions\">");
  action_forms(page, req, r->name, r->state);
  hutch_html(page, "</td>\n</tr>\n");
}

void
hutch_panel_page_sandboxes(HutchPanelRequest *req)
{
  g_autoptr(GPtrArray) states = hutch_state_list();
  g_autofree HutchUsage *usage = hutch_usage_measure(states);
  GString *page = hutch_panel_page_begin(req, "Sandboxes", "sandboxes");
  hutch_html(page, "<table id=\"sandboxes\" class=\"list\">\n<caption>Running sandboxes, "
                   "updated live</caption>\n<thead><tr>");
  for (const char *const *c = columns; *c; c++)
    hutch_html(page, "<th scope=\"col\">%s</th>", *c);
  hutch_html(page, "<th scope=\"col\">Actions</th></tr></thead>\n<tbody>\n");
  for (guint i = 0; i < states->len; i++) {
    Row r;
    row_init(&r, states->pdata[i], &usage[i]);
    table_row(page, req, &r);
    row_clear(&r);
  }
  hutch_html(page,
             "</tbody>\n</table>\n<p id=\"none-running\"%H>No sandbox is running. Start one on "
             "the <a href=\"/launch\">Launch</a> page or with <code>hutch run</code>.</p>\n",
             states->len ? " hidden" : "");
  hutch_panel_page_end(req, page);
}

/* --- the live table ----------------------------------------------------- */

static char *
table_json(void)
{
  g_autoptr(GPtrArray) states = hutch_state_list();
  g_autofree HutchUsage *usage = hutch_usage_measure(states);
  GString *out = g_string_new(NULL);
  HutchJson j;
  hutch_json_init(&j, out);
  hutch_json_begin_array(&j, NULL);
  for (guint i = 0; i < states->len; i++) {
    Row r;
    row_init(&r, states->pdata[i], &usage[i]);
    hutch_json_begin_object(&j, NULL);
    const char *fields[][2] = {
        {"name", r.name},     {"profile", r.profile}, {"state", r.state},
        {"pid", r.pid},       {"cpu", r.cpu},         {"memory", r.memory},
        {"uptime", r.uptime}, {"command", r.command}, {"processes", r.processes}};
    for (gsize f = 0; f < G_N_ELEMENTS(fields); f++)
      hutch_json_string(&j, fields[f][0], fields[f][1]);
    hutch_json_end_object(&j);
    row_clear(&r);
  }
  hutch_json_end_array(&j);
  return g_string_free(out, FALSE);
}

static void
send_table(HutchPanel *panel)
{
  if (!panel->table_streams->len)
    return;
  g_autofree char *json = table_json();
  for (guint i = 0; i < panel->table_streams->len; i++)
    hutch_panel_stream_send(panel->table_streams->pdata[i], "sandboxes", json);
}

static gboolean
table_tick(gpointer data)
{
  send_table(data);
  return G_SOURCE_CONTINUE;
}

static gboolean
table_soon(gpointer data)
{
  HutchPanel *panel = data;
  panel->table_soon = 0;
  send_table(panel);
  return G_SOURCE_REMOVE;
}

/* After the action's answer is out: the answer does not wait for it. */
void
hutch_panel_table_refresh(HutchPanel *panel)
{
  if (panel->table_streams->len && !panel->table_soon)
    panel->table_soon = g_idle_add(table_soon, panel);
}

static void
table_stream_gone(HutchPanelStream *stream, gpointer data)
{
  HutchPanel *panel = data;
  g_ptr_array_remove(panel->table_streams, stream);
  if (!panel->table_streams->len && panel->table_tick)
    g_clear_handle_id(&panel->table_tick, g_source_remove);
}

void
hutch_panel_events_sandboxes(HutchPanelRequest *req)
{
  HutchPanel *panel = req->panel;
  HutchPanelStream *stream = hutch_panel_stream_open(req, table_stream_gone, panel);
  g_ptr_array_add(panel->table_streams, stream);
  g_autofree char *json = table_json();
  hutch_panel_stream_send(stream, "sandboxes", json);
  if (!panel->table_tick)
    panel->table_tick = g_timeout_add(TABLE_TICK_MS, table_tick, panel);
}

/* --- one sandbox -------------------------------------------------------- */

static void
item(GString *page, const char *label, const char *field, const char *value)
{
  if (field)
    hutch_html(page, "<dt>%s</dt><dd data-field=\"%s\">%s</dd>\n", label, field, value);
  else
    hutch_html(page, "<dt>%s</dt><dd>%s</dd>\n", label, value);
}

static void
network_items(GString *page, const HutchState *st)
{
  if (g_strcmp0(st->network, "host") == 0) {
    item(page, "Network", NULL, "host (shared with the host; no per-sandbox counters)");
    return;
  }
  item(page, "Network", NULL, st->network ? st->network : "none");
  GArray *devs = st->init_pid ? hutch_netdev_read(st->init_pid) : NULL;
  guint64 rx, tx;
  hutch_netdev_totals(devs, &rx, &tx);
  g_autofree char *txs = hutch_format_size(tx);
  g_autofree char *rxs = hutch_format_size(rx);
  item(page, "Sent (TX)", NULL, txs);
  item(page, "Received (RX)", NULL, rxs);
  for (guint i = 0; devs && i < devs->len; i++) {
    const HutchNetDev *d = &g_array_index(devs, HutchNetDev, i);
    g_autofree char *dtx = hutch_format_size(d->tx_bytes);
    g_autofree char *drx = hutch_format_size(d->rx_bytes);
    g_autofree char *line = g_strdup_printf("%s: TX %s, RX %s", d->name, dtx, drx);
    item(page, "Link", NULL, line);
  }
  if (devs)
    g_array_unref(devs);
}

static void
info_items(GString *page, const HutchState *st, const HutchUsage *u)
{
  Row r;
  row_init(&r, st, u);
  g_autofree char *hutch_pid = g_strdup_printf("%d", (int)st->hutch_pid);
  g_autofree char *perms =
      st->permissions && *st->permissions ? g_strjoinv(", ", st->permissions) : g_strdup("none");
  hutch_html(page, "<dl class=\"info\">\n");
  item(page, "State", "state", r.state);
  item(page, "PID", NULL, r.pid);
  item(page, "Hutch PID", NULL, hutch_pid);
  if (st->profile) {
    g_autofree char *href = hutch_panel_path("/profiles/", st->profile, NULL);
    hutch_html(page, "<dt>Profile</dt><dd><a href=\"%s\">%s</a></dd>\n", href, st->profile);
  } else {
    item(page, "Profile", NULL, "-");
  }
  item(page, "Command", NULL, r.command);
  item(page, "CPU use (s)", "cpu", r.cpu);
  item(page, "Memory use", "memory", r.memory);
  item(page, "Processes", "processes", r.processes);
  item(page, "Uptime", "uptime", r.uptime);
  network_items(page, st);
  item(page, "Permissions", NULL, perms);
  item(page, "Limits", NULL, st->limits && *st->limits ? st->limits : "none");
  item(page, "Freeze", NULL,
       g_strcmp0(st->freeze_method, "cgroup") == 0 ? "cgroup.freeze"
                                                   : "SIGSTOP from the sandbox's init");
  if (st->cgroup)
    item(page, "Cgroup", NULL, st->cgroup);
  item(page, "Seccomp", NULL, st->seccomp ? "filter" : "off");
  for (int i = 0; i < HUTCH_NS_COUNT; i++) {
    if (!st->ns[i])
      continue;
    g_autofree char *label = g_strdup_printf("Namespace %s", hutch_namespaces[i].name);
    g_autofree char *id = g_strdup_printf("%" G_GUINT64_FORMAT, st->ns[i]);
    item(page, label, NULL, id);
  }
  hutch_html(page, "</dl>\n");
  row_clear(&r);
}

static void
mounts_table(GString *page, const HutchState *st)
{
  hutch_html(page, "<h2>Mounts</h2>\n");
  g_autoptr(GPtrArray) mounts = hutch_state_load_mounts(st->dir);
  if (!mounts) {
    hutch_html(page, "<p>Not recorded: this sandbox was started by an older hutch.</p>\n");
    return;
  }
  hutch_html(page, "<table id=\"mounts\" class=\"list\">\n<caption>The mounts of its plan, in "
                   "order (as <code>hutch run --dry-run</code> prints them)</caption>\n"
                   "<thead><tr><th scope=\"col\">Type</th><th scope=\"col\">In the "
                   "sandbox</th><th scope=\"col\">From the host</th><th "
                   "scope=\"col\">Options</th><th scope=\"col\">Why</th></tr></thead>\n<tbody>\n");
  for (guint i = 0; i < mounts->len; i++) {
    const HutchMountRecord *m = mounts->pdata[i];
    hutch_html(page,
               "<tr><td data-label=\"Type\">%s</td><td data-label=\"In the sandbox\">%s</td>"
               "<td data-label=\"From the host\">%s</td><td data-label=\"Options\">%s</td>"
               "<td data-label=\"Why\">%s</td></tr>\n",
               m->type, m->target, m->source, m->options, m->why);
  }
  hutch_html(page, "</tbody>\n</table>\n");
}

static void
not_running(HutchPanelRequest *req, const GError *error)
{
  GString *page = hutch_panel_page_begin(req, "No such sandbox", "sandboxes");
  hutch_html(page, "<p class=\"error\">%s</p>\n<p><a href=\"/\">All sandboxes</a></p>\n",
             error->message);
  hutch_panel_page_end(req, page);
  soup_server_message_set_status(req->msg, SOUP_STATUS_NOT_FOUND, NULL);
}

void
hutch_panel_page_sandbox(HutchPanelRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HutchState) st = hutch_state_find(req->args[0], &error);
  if (!st) {
    not_running(req, error);
    return;
  }
  g_autofree HutchUsage *u = hutch_usage_measure_one(st);
  g_autofree char *title = g_strdup_printf("Sandbox %s", st->name);
  GString *page = hutch_panel_page_begin(req, title, "sandboxes");
  hutch_html(page, "<section data-sandbox=\"%s\">\n<div class=\"actions\" data-field=\"actions\">",
             st->name);
  action_forms(page, req, st->name, hutch_sandbox_state_name(u->state));
  hutch_html(page, "</div>\n");
  info_items(page, st, u);
  mounts_table(page, st);
  hutch_html(page, "</section>\n");
  hutch_panel_page_end(req, page);
}

/* --- stop, freeze, thaw ------------------------------------------------- */

typedef enum { ACT_STOP, ACT_FREEZE, ACT_THAW } Act;

typedef struct {
  HutchState *st;
  Act act;
} SandboxWork;

static void
sandbox_work_free(gpointer data)
{
  SandboxWork *w = data;
  hutch_state_free(w->st);
  g_free(w);
}

static gboolean
sandbox_work(gpointer data, GError **error)
{
  SandboxWork *w = data;
  if (w->act == ACT_STOP)
    return hutch_state_stop(w->st, HUTCH_STOP_DEFAULT_TIMEOUT_S, error);
  return hutch_freeze_running(w->st, w->act == ACT_FREEZE, error);
}

static void
sandbox_done(HutchPanelRequest *req, gpointer data, const GError *error)
{
  SandboxWork *w = data;
  static const char *const done[] = {"stopped", "frozen", "thawed"};
  g_autofree char *message = error ? g_strdup(error->message)
                                   : g_strdup_printf("Sandbox %s %s.", w->st->name, done[w->act]);
  g_autofree char *back =
      w->act == ACT_STOP ? g_strdup("/") : hutch_panel_path("/sandbox/", w->st->name, NULL);
  hutch_panel_action_result(req, error == NULL, message, back);
  hutch_panel_table_refresh(req->panel);
}

void
hutch_panel_action_sandbox(HutchPanelRequest *req)
{
  static const char *const acts[] = {"stop", "freeze", "thaw", NULL};
  Act act = 0;
  while (acts[act] && !g_str_equal(acts[act], req->args[1]))
    act++;
  if (!acts[act]) {
    hutch_panel_action_result(req, FALSE, "unknown action: use stop, freeze or thaw", "/");
    return;
  }
  g_autoptr(GError) error = NULL;
  HutchState *st = hutch_state_find(req->args[0], &error);
  if (!st) {
    hutch_panel_action_result(req, FALSE, error->message, "/");
    return;
  }
  SandboxWork *w = g_new0(SandboxWork, 1);
  w->st = st;
  w->act = act;
  hutch_panel_work(req, sandbox_work, sandbox_done, w, sandbox_work_free);
}
