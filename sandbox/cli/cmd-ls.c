/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch ls: every running sandbox of this user, as a table or JSON. */
#include "cmd-common.h"
#include "error.h"
#include "commands.h"
#include "json.h"
#include "print.h"
#include "util.h"
#include "state.h"
#include "usage.h"
#include <stdio.h>
#include <string.h>

enum {
  COL_NAME,
  COL_PROFILE,
  COL_STATE,
  COL_PID,
  COL_CPU,
  COL_MEMORY,
  COL_UPTIME,
  COL_COMMAND,
  N_COLS
};
static const char *const headers[N_COLS] = {"NAME", "PROFILE", "STATE",  "PID",
                                            "CPU",  "MEMORY",  "UPTIME", "COMMAND"};

/* Each cell escaped (print.h): a name or command may hold a newline or an
 * escape sequence, which must neither break the table nor reach the
 * terminal. */
static void
escape_cells(char **row)
{
  for (int c = 0; c < N_COLS; c++) {
    char *escaped = hutch_escape(row[c]);
    g_free(row[c]);
    row[c] = escaped;
  }
}

static char **
row_for(const HutchState *st, const HutchUsage *u)
{
  char **row = g_new0(char *, N_COLS + 1);
  row[COL_NAME] = g_strdup(st->name);
  row[COL_PROFILE] = g_strdup(st->profile ? st->profile : "-");
  row[COL_STATE] = g_strdup(hutch_sandbox_state_name(u->state));
  row[COL_PID] = st->init_pid ? g_strdup_printf("%d", (int)st->init_pid) : g_strdup("-");
  row[COL_CPU] = g_strdup_printf("%.2f", u->cpu_seconds);
  row[COL_MEMORY] =
      u->memory_bytes >= 0 ? hutch_format_size((guint64)u->memory_bytes) : g_strdup("-");
  row[COL_UPTIME] = hutch_format_duration(u->uptime_seconds);
  row[COL_COMMAND] = st->command ? g_strjoinv(" ", st->command) : g_strdup("");
  escape_cells(row);
  return row;
}

static void
print_table(GPtrArray *rows)
{
  gsize width[N_COLS];
  for (int c = 0; c < N_COLS; c++)
    width[c] = strlen(headers[c]);
  for (guint r = 0; r < rows->len; r++)
    for (int c = 0; c < N_COLS; c++)
      width[c] = MAX(width[c], (gsize)g_utf8_strlen(((char **)rows->pdata[r])[c], -1));
  g_autoptr(GString) out = g_string_new(NULL);
  for (guint r = 0; r <= rows->len; r++) {
    const char *const *row = r == 0 ? headers : (const char *const *)rows->pdata[r - 1];
    for (int c = 0; c < N_COLS; c++) {
      if (c == N_COLS - 1) {
        g_string_append(out, row[c]);
        break;
      }
      /* Numbers align right, words left. */
      gboolean right = c == COL_PID || c == COL_CPU || c == COL_MEMORY || c == COL_UPTIME;
      gsize pad = width[c] - g_utf8_strlen(row[c], -1);
      if (right)
        g_string_append_printf(out, "%*s%s  ", (int)pad, "", row[c]);
      else
        g_string_append_printf(out, "%s%*s  ", row[c], (int)pad, "");
    }
    g_string_append_c(out, '\n');
  }
  fputs(out->str, stdout);
}

static void
json_sandbox(HutchJson *j, const HutchState *st, const HutchUsage *u)
{
  hutch_json_begin_object(j, NULL);
  hutch_json_string(j, "name", st->name);
  hutch_json_string(j, "profile", st->profile);
  hutch_json_string(j, "state", hutch_sandbox_state_name(u->state));
  hutch_json_int(j, "pid", st->init_pid);
  hutch_json_int(j, "hutch-pid", st->hutch_pid);
  hutch_json_double(j, "cpu", u->cpu_seconds);
  if (u->memory_bytes >= 0)
    hutch_json_int(j, "memory", u->memory_bytes);
  else
    hutch_json_null(j, "memory");
  hutch_json_int(j, "processes", u->nprocs);
  hutch_json_double(j, "uptime", u->uptime_seconds);
  hutch_json_strv(j, "command", st->command);
  hutch_json_end_object(j);
}

int
hutch_cmd_ls(int argc, char **argv, GError **error)
{
  gboolean json = FALSE, running = FALSE, frozen = FALSE;
  GOptionEntry entries[] = {
      {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON array", NULL},
      {"running", 0, 0, G_OPTION_ARG_NONE, &running, "Only running (not frozen) sandboxes", NULL},
      {"frozen", 0, 0, G_OPTION_ARG_NONE, &frozen, "Only frozen sandboxes", NULL},
      {NULL},
  };
  if (!hutch_cmd_parse("", "List the running sandboxes of this user.", entries, &argc, &argv,
                       error))
    return -1;
  if (argc > 1) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE, "ls: unexpected argument '%s'", argv[1]);
    return -1;
  }
  g_autoptr(GPtrArray) states = hutch_state_list();
  g_autofree HutchUsage *usage = hutch_usage_measure(states);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
  g_autoptr(GString) out = g_string_new(NULL);
  HutchJson j;
  hutch_json_init(&j, out);
  hutch_json_begin_array(&j, NULL);
  for (guint i = 0; i < states->len; i++) {
    gboolean wanted = (!running && !frozen) || (running && usage[i].state == HUTCH_SB_RUNNING) ||
                      (frozen && usage[i].state == HUTCH_SB_FROZEN);
    if (!wanted)
      continue;
    if (json)
      json_sandbox(&j, states->pdata[i], &usage[i]);
    else
      g_ptr_array_add(rows, row_for(states->pdata[i], &usage[i]));
  }
  hutch_json_end_array(&j);
  if (json)
    printf("%s\n", out->str);
  else
    print_table(rows);
  return 0;
}
