/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "run-record.h"
#include "pipe-write.h"
#include "access.h"
#include "atomic-file.h"
#include "detach.h"
#include "error.h"
#include "print.h"
#include "json.h"
#include "procinfo.h"
#include "run-mounts.h"
#include "state.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define START_WAIT_MS 5000

static char **
granted_permissions(const HutchPolicy *policy)
{
  GPtrArray *names = g_ptr_array_new();
  for (const char *const *n = hutch_perm_names(); *n; n++) {
    HutchPerm perm;
    if (hutch_perm_parse(*n, &perm) && hutch_policy_has(policy, perm))
      g_ptr_array_add(names, g_strdup(*n));
  }
  g_ptr_array_add(names, NULL);
  return (char **)g_ptr_array_free(names, FALSE);
}

static char **
strv_of(GPtrArray *a)
{
  g_ptr_array_add(a, NULL);
  return (char **)g_ptr_array_free(a, FALSE);
}

/* What the sandbox can reach, for hutch info: the policy's path rules as
 * granted here (expanded, those that exist), and the devices the plan binds
 * beyond the fixed /dev nodes every sandbox has. */
static gboolean
record_access(HutchPlan *plan, GError **error)
{
  const HutchPolicy *policy = plan->policy;
  GPtrArray *by_mode[4];
  for (int m = 0; m < 4; m++)
    by_mode[m] = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < policy->paths->len; i++) {
    const HutchPathRule *rule = policy->paths->pdata[i];
    const char *path = hutch_plan_rule_path(plan, rule);
    if (!path || (rule->optional && !g_file_test(path, G_FILE_TEST_EXISTS)))
      continue;
    g_ptr_array_add(by_mode[rule->mode], g_strdup(path));
  }
  GPtrArray *devices = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < plan->ops->len; i++) {
    const HutchOp *op = &g_array_index(plan->ops, HutchOp, i);
    if (op->type == HUTCH_OP_BIND && (op->flags & HUTCH_OPF_DEVICES) && op->show_dest &&
        g_str_has_prefix(op->show_dest, "/dev/") && g_strcmp0(op->why, "host rootfs") != 0)
      g_ptr_array_add(devices, g_strdup(op->show_dest));
  }
  GPtrArray *display = g_ptr_array_new_with_free_func(g_free);
  if (hutch_policy_has(policy, HUTCH_PERM_WAYLAND))
    g_ptr_array_add(display, g_strdup("wayland"));
  if (hutch_policy_has(policy, HUTCH_PERM_X11))
    g_ptr_array_add(display, g_strdup_printf("x11 (%s)", hutch_x11_mode_name(policy->x11_mode)));
  g_autoptr(HutchAccess) access = g_new0(HutchAccess, 1);
  access->home = g_strdup(hutch_home_mode_name(policy->home));
  access->network = g_strdup(hutch_net_mode_name(policy->net));
  access->ro = strv_of(by_mode[HUTCH_PATH_RO]);
  access->rw = strv_of(by_mode[HUTCH_PATH_RW]);
  access->hidden = strv_of(by_mode[HUTCH_PATH_HIDE]);
  access->tmpfs = strv_of(by_mode[HUTCH_PATH_TMPFS]);
  access->devices = strv_of(devices);
  access->display = strv_of(display);
  return hutch_access_save(plan->runtime_dir, access, error);
}

static gboolean
save_seccomp(const HutchPlan *plan, GError **error)
{
  g_autofree char *path = g_build_filename(plan->runtime_dir, "seccomp.bpf", NULL);
  gsize size = plan->seccomp.len * sizeof(struct sock_filter);
  return hutch_file_replace(path, plan->seccomp.filter, size, 0600, error);
}

/* What an op says about its mount beyond source and target. */
static char *
op_options(const HutchOp *op)
{
  g_autoptr(GString) o = g_string_new(NULL);
  if (op->type == HUTCH_OP_BIND || op->type == HUTCH_OP_TMPFS)
    g_string_append(o, op->flags & HUTCH_OPF_RDONLY ? "ro" : "rw");
  if (op->data && op->type != HUTCH_OP_SYMLINK)
    g_string_append_printf(o, "%s%s", o->len ? " " : "", op->data);
  if (op->type == HUTCH_OP_SYMLINK)
    g_string_append_printf(o, "-> %s", op->data);
  if (op->flags & HUTCH_OPF_DEVICES)
    g_string_append(o, " dev");
  if (op->flags & HUTCH_OPF_OPTIONAL)
    g_string_append(o, " optional");
  return g_string_free(g_steal_pointer(&o), FALSE);
}

static void
add_mounts(GPtrArray *mounts, GArray *ops)
{
  for (guint i = 0; i < ops->len; i++) {
    const HutchOp *op = &g_array_index(ops, HutchOp, i);
    if (op->type == HUTCH_OP_MKDIR)
      continue;
    HutchMountRecord *r = g_new0(HutchMountRecord, 1);
    r->type = g_strdup(hutch_op_type_name(op->type));
    r->source = g_strdup(op->type == HUTCH_OP_BIND ? op->show_src : "");
    r->target = g_strdup(op->show_dest);
    r->options = op_options(op);
    r->why = g_strdup(op->why);
    g_ptr_array_add(mounts, r);
  }
}

/* The plan's mounts, for the panel: the mount table itself is inside the
 * sandbox's namespace. */
static gboolean
save_mounts(const HutchPlan *plan, GError **error)
{
  g_autoptr(GPtrArray) mounts =
      g_ptr_array_new_with_free_func((GDestroyNotify)hutch_mount_record_free);
  add_mounts(mounts, plan->pre_ops);
  add_mounts(mounts, plan->ops);
  return hutch_state_save_mounts(plan->runtime_dir, mounts, error);
}

static gboolean
record_state(HutchPlan *plan, pid_t init_pid, GError **error)
{
  g_autoptr(HutchState) old = hutch_state_load(plan->runtime_dir, NULL);
  g_autoptr(HutchState) st = g_new0(HutchState, 1);
  st->dir = g_strdup(plan->runtime_dir);
  st->name = g_strdup(plan->name);
  st->profile = g_strdup(plan->policy->profile_name);
  st->command = g_strdupv(plan->app_argv);
  st->hutch_pid = getpid();
  st->hutch_start = hutch_proc_start_time(getpid());
  st->init_pid = init_pid;
  st->init_start = hutch_proc_start_time(init_pid);
  st->started = old ? old->started : g_get_real_time();
  st->phase = g_strdup("running");
  st->permissions = granted_permissions(plan->policy);
  st->network = g_strdup(hutch_net_mode_name(plan->policy->net));
  st->limits = g_strdup(plan->limits.description);
  st->freeze_method = g_strdup(plan->limits.freeze_method);
  st->cgroup = g_strdup(plan->limits.cgroup);
  st->seccomp = plan->seccomp.filter != NULL;
  for (int i = 0; i < HUTCH_NS_COUNT; i++)
    st->ns[i] = hutch_proc_ns_id(init_pid, hutch_namespaces[i].name);
  /* The filter first: `enter` trusts a running state to come with it. */
  if ((st->seccomp && !save_seccomp(plan, error)) || !record_access(plan, error))
    return FALSE;
  if (!save_mounts(plan, error))
    return FALSE;
  return hutch_state_save(st, error);
}

static gboolean
same_file(const char *a, const char *b)
{
  struct stat sa, sb;
  return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static gboolean
init_exited(pid_t init_pid)
{
  siginfo_t info = {0};
  return waitid(P_PID, init_pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
         info.si_pid == init_pid;
}

/* The app has started once init's child runs something other than init.
 * FALSE when the sandbox ended first. */
static gboolean
wait_app_started(pid_t init_pid, pid_t *app_pid)
{
  g_autofree char *init_exe = g_strdup_printf("/proc/%d/exe", (int)init_pid);
  for (int ms = 0; ms < START_WAIT_MS; ms++) {
    *app_pid = hutch_proc_first_child(init_pid);
    if (*app_pid > 0) {
      g_autofree char *app_exe = g_strdup_printf("/proc/%d/exe", (int)*app_pid);
      if (!same_file(app_exe, init_exe) && access(app_exe, F_OK) == 0)
        return TRUE;
    }
    if (init_exited(init_pid))
      return FALSE;
    g_usleep(1000);
  }
  return TRUE; /* slow to start, but started as far as hutch can tell */
}

static void
write_status_line(int fd, GString *line)
{
  g_string_append_c(line, '\n');
  hutch_pipe_write(fd, line->str, line->len);
}

static void
status_started(const HutchPlan *plan, pid_t init_pid, pid_t app_pid)
{
  g_autoptr(GString) line = g_string_new(NULL);
  HutchJson j;
  hutch_json_init(&j, line);
  hutch_json_begin_object(&j, NULL);
  hutch_json_string(&j, "name", plan->name);
  if (app_pid > 0)
    hutch_json_int(&j, "pid", app_pid);
  else
    hutch_json_null(&j, "pid");
  hutch_json_int(&j, "init-pid", init_pid);
  hutch_json_begin_object(&j, "namespaces");
  for (int i = 0; i < HUTCH_NS_COUNT; i++) {
    guint64 id = hutch_proc_ns_id(init_pid, hutch_namespaces[i].name);
    if (id)
      hutch_json_int(&j, hutch_namespaces[i].name, (gint64)id);
  }
  hutch_json_end_object(&j);
  hutch_json_end_object(&j);
  write_status_line(plan->policy->json_status_fd, line);
}

void
hutch_run_record(HutchPlan *plan, pid_t init_pid)
{
  g_autoptr(GError) error = NULL;
  if (plan->state_recorded)
    return;
  plan->state_recorded = TRUE;
  if (!record_state(plan, init_pid, &error))
    hutch_print_line(stderr, "hutch: warning: %s ('hutch ls' will not show %s)", error->message,
                     plan->name);
}

void
hutch_run_started(HutchPlan *plan, pid_t init_pid)
{
  hutch_run_record(plan, init_pid);
  const HutchPolicy *policy = plan->policy;
  if (policy->json_status_fd < 0 && !policy->detach)
    return;
  pid_t app_pid = 0;
  gboolean started = wait_app_started(init_pid, &app_pid);
  if (policy->json_status_fd >= 0)
    status_started(plan, init_pid, app_pid);
  if (started)
    hutch_detach_started(plan);
}

int
hutch_run_finished(HutchPlan *plan, int code)
{
  if (plan->policy->json_status_fd < 0)
    return code;
  g_autoptr(GString) line = g_string_new(NULL);
  HutchJson j;
  hutch_json_init(&j, line);
  hutch_json_begin_object(&j, NULL);
  hutch_json_string(&j, "name", plan->name);
  hutch_json_int(&j, "exit-code", code);
  hutch_json_end_object(&j);
  write_status_line(plan->policy->json_status_fd, line);
  return code;
}

gboolean
hutch_run_check_status_fd(int fd, GError **error)
{
  int flags = fd >= 0 ? fcntl(fd, F_GETFD) : -1;
  if (flags < 0 || fd < 3) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "--json-status-fd %d: not an open file descriptor above 2", fd);
    return FALSE;
  }
  fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
  return TRUE;
}
