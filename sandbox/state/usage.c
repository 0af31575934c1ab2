/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "usage.h"
#include "cgroup.h"
#include "procinfo.h"
#include <unistd.h>

#define NO_SANDBOX (-1)
#define UNKNOWN (-2)

const char *
hutch_sandbox_state_name(HutchSandboxState state)
{
  switch (state) {
  case HUTCH_SB_STARTING:
    return "STARTING";
  case HUTCH_SB_RUNNING:
    return "RUNNING";
  case HUTCH_SB_FROZEN:
    return "FROZEN";
  case HUTCH_SB_STOPPING:
    return "STOPPING";
  }
  return "?";
}

char *
hutch_format_duration(double seconds)
{
  guint64 s = seconds > 0 ? (guint64)seconds : 0;
  if (s < 60)
    return g_strdup_printf("%" G_GUINT64_FORMAT "s", s);
  if (s < 3600)
    return g_strdup_printf("%" G_GUINT64_FORMAT "m%02" G_GUINT64_FORMAT "s", s / 60, s % 60);
  if (s < 86400)
    return g_strdup_printf("%" G_GUINT64_FORMAT "h%02" G_GUINT64_FORMAT "m", s / 3600, s / 60 % 60);
  return g_strdup_printf("%" G_GUINT64_FORMAT "d%02" G_GUINT64_FORMAT "h", s / 86400,
                         s / 3600 % 24);
}

typedef struct {
  GArray *procs;        /* HutchProc */
  GHashTable *by_pid;   /* pid -> index + 1 */
  GHashTable *by_pidns; /* pid namespace id -> sandbox index + 1 */
  GHashTable *by_init;  /* init pid -> sandbox index + 1 */
  int *owner;           /* per process: sandbox index, NO_SANDBOX or UNKNOWN */
} Scan;

static int
lookup(GHashTable *table, guint64 key)
{
  return GPOINTER_TO_INT(g_hash_table_lookup(table, GSIZE_TO_POINTER(key))) - 1;
}

static void
insert(GHashTable *table, guint64 key, int value)
{
  g_hash_table_insert(table, GSIZE_TO_POINTER(key), GINT_TO_POINTER(value + 1));
}

/* A process belongs to the sandbox whose pid namespace it is in, or to the
 * one whose init it descends from (nested pid namespaces). */
static int
owner_of(Scan *scan, guint i, int depth)
{
  if (scan->owner[i] != UNKNOWN)
    return scan->owner[i];
  const HutchProc *p = &g_array_index(scan->procs, HutchProc, i);
  int owner = p->pidns ? lookup(scan->by_pidns, p->pidns) : NO_SANDBOX;
  if (owner < 0)
    owner = lookup(scan->by_init, (guint64)p->pid);
  if (owner < 0 && p->ppid > 1 && depth < 64) {
    int parent = lookup(scan->by_pid, (guint64)p->ppid);
    if (parent >= 0)
      owner = owner_of(scan, (guint)parent, depth + 1);
  }
  scan->owner[i] = owner < 0 ? NO_SANDBOX : owner;
  return scan->owner[i];
}

static void
scan_init(Scan *scan, GPtrArray *states)
{
  scan->procs = hutch_proc_scan();
  scan->by_pid = g_hash_table_new(g_direct_hash, g_direct_equal);
  scan->by_pidns = g_hash_table_new(g_direct_hash, g_direct_equal);
  scan->by_init = g_hash_table_new(g_direct_hash, g_direct_equal);
  scan->owner = g_new(int, scan->procs->len + 1);
  for (guint i = 0; i < scan->procs->len; i++) {
    insert(scan->by_pid, (guint64)g_array_index(scan->procs, HutchProc, i).pid, (int)i);
    scan->owner[i] = UNKNOWN;
  }
  for (guint s = 0; s < states->len; s++) {
    const HutchState *st = states->pdata[s];
    if (st->init_pid <= 0)
      continue;
    insert(scan->by_init, (guint64)st->init_pid, (int)s);
    if (st->ns[HUTCH_NS_PID])
      insert(scan->by_pidns, st->ns[HUTCH_NS_PID], (int)s);
  }
}

static void
scan_clear(Scan *scan)
{
  g_array_unref(scan->procs);
  g_hash_table_unref(scan->by_pid);
  g_hash_table_unref(scan->by_pidns);
  g_hash_table_unref(scan->by_init);
  g_free(scan->owner);
}

static HutchSandboxState
derive_state(const HutchState *st, guint others, guint stopped)
{
  HutchSandboxState phase = hutch_state_phase(st);
  if (phase != HUTCH_SB_RUNNING)
    return phase;
  if (st->cgroup)
    return hutch_cgroup_is_frozen(st->cgroup) ? HUTCH_SB_FROZEN : HUTCH_SB_RUNNING;
  /* Frozen by signals: everything but init (which does the stopping) is
   * in state T. */
  return others > 0 && stopped == others ? HUTCH_SB_FROZEN : HUTCH_SB_RUNNING;
}

HutchUsage *
hutch_usage_measure(GPtrArray *states)
{
  HutchUsage *usage = g_new0(HutchUsage, states->len + 1);
  guint *others = g_new0(guint, states->len + 1);
  guint *stopped = g_new0(guint, states->len + 1);
  guint64 *ticks = g_new0(guint64, states->len + 1);
  guint64 *pages = g_new0(guint64, states->len + 1);
  Scan scan;
  scan_init(&scan, states);
  for (guint i = 0; i < scan.procs->len; i++) {
    int s = owner_of(&scan, i, 0);
    if (s < 0)
      continue;
    const HutchProc *p = &g_array_index(scan.procs, HutchProc, i);
    const HutchState *st = states->pdata[s];
    usage[s].nprocs++;
    ticks[s] += p->cpu_ticks;
    pages[s] += p->rss_pages;
    if (p->pid != st->init_pid) {
      others[s]++;
      stopped[s] += p->state == 'T';
    }
  }
  gint64 now = g_get_real_time();
  long page = sysconf(_SC_PAGESIZE);
  for (guint s = 0; s < states->len; s++) {
    const HutchState *st = states->pdata[s];
    HutchUsage *u = &usage[s];
    u->cpu_seconds = (double)ticks[s] / (double)hutch_clock_ticks();
    u->memory_bytes = (gint64)(pages[s] * (guint64)page);
    guint64 cg_cpu;
    gint64 cg_mem;
    if (st->cgroup && hutch_cgroup_usage(st->cgroup, &cg_cpu, &cg_mem)) {
      u->cpu_seconds = (double)cg_cpu / 1e6;
      if (cg_mem >= 0)
        u->memory_bytes = cg_mem;
    }
    u->uptime_seconds = st->started ? (double)(now - st->started) / 1e6 : 0;
    u->state = derive_state(st, others[s], stopped[s]);
  }
  scan_clear(&scan);
  g_free(others);
  g_free(stopped);
  g_free(ticks);
  g_free(pages);
  return usage;
}

GArray *
hutch_usage_pids(const HutchState *state)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new();
  g_ptr_array_add(one, (gpointer)state);
  Scan scan;
  scan_init(&scan, one);
  GArray *pids = g_array_new(FALSE, FALSE, sizeof(pid_t));
  if (state->init_pid > 0)
    g_array_append_val(pids, state->init_pid);
  for (guint i = 0; i < scan.procs->len; i++) {
    const HutchProc *p = &g_array_index(scan.procs, HutchProc, i);
    if (owner_of(&scan, i, 0) == 0 && p->pid != state->init_pid)
      g_array_append_val(pids, p->pid);
  }
  scan_clear(&scan);
  return pids;
}

HutchUsage *
hutch_usage_measure_one(const HutchState *state)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new();
  g_ptr_array_add(one, (gpointer)state);
  return hutch_usage_measure(one);
}
