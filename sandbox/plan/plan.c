/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "plan.h"
#include "env.h"
#include "error.h"
#include "idholder.h"
#include "idmap.h"
#include "interrupt.h"
#include "names.h"
#include "namespaces.h"
#include "paths.h"
#include "plan-steps.h"
#include "util.h"
#include "plan-tasks.h"
#include "seccomp-filter.h"
#include "state.h"
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sched.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

HutchOp *
hutch_plan_add_op(HutchPlan *plan, HutchOpType type, const char *host_path,
                  const char *sandbox_path, const char *why)
{
  HutchOp op = {.type = type, .why = g_string_chunk_insert_const(plan->strings, why)};
  if (host_path) {
    g_autofree char *src = g_strconcat(HUTCH_OLDROOT, host_path, NULL);
    op.src = g_string_chunk_insert(plan->strings, src);
    op.show_src = g_string_chunk_insert(plan->strings, host_path);
  }
  if (sandbox_path) {
    g_autofree char *dest = g_strconcat(HUTCH_NEWROOT, sandbox_path, NULL);
    op.dest = g_string_chunk_insert(plan->strings, dest);
    op.show_dest = g_string_chunk_insert(plan->strings, sandbox_path);
  }
  g_array_append_val(plan->ops, op);
  return &g_array_index(plan->ops, HutchOp, plan->ops->len - 1);
}

/* DIR's realpath, through its parent's when that is known already: the
 * same lstat-per-entry walk as below, so that a dozen folders of home cost
 * a dozen lstats, not a realpath each (readlink on every component from /).
 * A symlink, or a "." or ".." entry, goes to realpath. */
static const char *
resolve_dir(HutchPlan *plan, const char *dir)
{
  const char *known = g_hash_table_lookup(plan->resolved_dirs, dir);
  if (known)
    return known;
  g_autofree char *parent = g_path_get_dirname(dir);
  g_autofree char *base = g_path_get_basename(dir);
  const char *real_parent = NULL;
  if (!g_str_equal(parent, dir) && !g_str_equal(base, ".") && !g_str_equal(base, "..")) {
    real_parent = g_str_equal(parent, "/") ? "/" : resolve_dir(plan, parent);
    /* A parent that does not resolve has no entries: realpath would fail
     * on it too, with its errno, after a readlink per component. */
    if (!real_parent)
      return NULL;
  }
  char *real = NULL;
  if (real_parent) {
    real = hutch_path_join(real_parent, base);
    struct stat st;
    if (lstat(real, &st) < 0) {
      g_free(real);
      return NULL; /* missing: realpath would fail as well */
    }
    if (S_ISLNK(st.st_mode))
      g_clear_pointer(&real, g_free);
  }
  if (!real)
    real = realpath(dir, NULL);
  if (!real)
    return NULL;
  g_hash_table_insert(plan->resolved_dirs, g_strdup(dir), real);
  return real;
}

/* realpath() costs a readlink per component; the host rootfs binds dozens
 * of entries of the same few directories, and the protect step checks a
 * hundred paths in the same few folders of home, most of them missing. So
 * resolve each directory once and only lstat the entries, falling back to
 * realpath for a symlink. A directory that does not resolve is not
 * remembered: planning may yet create it (a private home). */
char *
hutch_plan_resolve(HutchPlan *plan, const char *path, struct stat *st)
{
  if (g_str_equal(path, "/")) {
    if (stat(path, st) < 0)
      return NULL;
    return g_strdup(path);
  }
  g_autofree char *dir = g_path_get_dirname(path);
  g_autofree char *base = g_path_get_basename(path);
  const char *real_dir = resolve_dir(plan, dir);
  if (!real_dir)
    return NULL;
  g_autofree char *candidate = hutch_path_join(real_dir, base);
  if (lstat(candidate, st) < 0)
    return NULL;
  if (!S_ISLNK(st->st_mode) && !g_str_equal(base, "..") && !g_str_equal(base, "."))
    return g_steal_pointer(&candidate);
  char *real = realpath(path, NULL);
  if (real && stat(real, st) < 0)
    g_clear_pointer(&real, free);
  return real;
}

const char *
hutch_plan_rule_path(HutchPlan *plan, const HutchPathRule *rule)
{
  gpointer expanded;
  if (g_hash_table_lookup_extended(plan->rule_paths, rule, NULL, &expanded))
    return expanded;
  expanded = hutch_expand_path(rule->path, plan->home, NULL);
  g_hash_table_insert(plan->rule_paths, (gpointer)rule, expanded);
  return expanded;
}

gboolean
hutch_plan_bind(HutchPlan *plan, const char *host_path, const char *sandbox_path, guint flags,
                const char *why, GError **error)
{
  struct stat st;
  /* Resolve now, so the child can refuse any symlink that appears later on
   * the way (a swap between planning and mounting). */
  g_autofree char *real = hutch_plan_resolve(plan, host_path, &st);
  if (!real) {
    if (flags & HUTCH_OPF_OPTIONAL)
      return TRUE;
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "%s: cannot bind %s: %s", why, host_path,
                g_strerror(errno));
    return FALSE;
  }
  if (!S_ISDIR(st.st_mode))
    flags |= HUTCH_OPF_FILE;
  HutchOp *op = hutch_plan_add_op(plan, HUTCH_OP_BIND, real, sandbox_path, why);
  op->flags = flags;
  return TRUE;
}

void
hutch_plan_setenv(HutchPlan *plan, const char *key, const char *value)
{
  plan->envp = g_environ_setenv(plan->envp, key, value, TRUE);
}

void
hutch_plan_unsetenv(HutchPlan *plan, const char *key)
{
  plan->envp = g_environ_unsetenv(plan->envp, key);
}

const char *
hutch_plan_getenv(HutchPlan *plan, const char *key)
{
  return g_environ_getenv(plan->envp, key);
}

void
hutch_plan_note(HutchPlan *plan, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_ptr_array_add(plan->notes, g_strdup_vprintf(fmt, ap));
  va_end(ap);
}

static void
resource_free(gpointer p)
{
  HutchHostResource *res = p;
  if (res->data_free)
    res->data_free(res->data);
  g_free(res->description);
  g_free(res);
}

void
hutch_plan_add_resource(HutchPlan *plan, const char *description,
                        void (*release)(HutchHostResource *), gpointer data,
                        GDestroyNotify data_free)
{
  HutchHostResource *res = g_new0(HutchHostResource, 1);
  res->description = g_strdup(description);
  res->release = release;
  res->data = data;
  res->data_free = data_free;
  g_ptr_array_add(plan->resources, res);
}

void
hutch_plan_add_server_resource(HutchPlan *plan, const char *description,
                               void (*release)(HutchHostResource *), gpointer data,
                               GDestroyNotify data_free)
{
  hutch_plan_add_resource(plan, description, release, data, data_free);
  HutchHostResource *res = plan->resources->pdata[plan->resources->len - 1];
  res->waits_on_server = TRUE;
}

static void
close_held_fd(HutchHostResource *res)
{
  close(GPOINTER_TO_INT(res->data));
}

void
hutch_plan_hold_fd(HutchPlan *plan, const char *description, int fd)
{
  hutch_plan_add_resource(plan, description, close_held_fd, GINT_TO_POINTER(fd), NULL);
  g_array_append_val(plan->held_fds, fd);
}

static gpointer
release_on_thread(gpointer p)
{
  HutchHostResource *res = p;
  res->release(res);
  return NULL;
}

/* RES[0..N-1], each waiting on its own server: all but the last on threads
 * of their own, so the round trips overlap. */
static void
release_side_by_side(HutchHostResource **res, guint n)
{
  GThread *threads[8] = {NULL};
  for (guint i = 0; i + 1 < n; i++)
    if (res[i]->release &&
        (i >= G_N_ELEMENTS(threads) ||
         !(threads[i] = g_thread_try_new("release", release_on_thread, res[i], NULL))))
      res[i]->release(res[i]);
  if (res[n - 1]->release)
    res[n - 1]->release(res[n - 1]);
  for (guint i = 0; i < MIN(n, G_N_ELEMENTS(threads)); i++)
    if (threads[i])
      g_thread_join(threads[i]);
}

void
hutch_plan_release(HutchPlan *plan)
{
  hutch_plan_join_tasks(plan, NULL);
  GPtrArray *r = plan->resources;
  while (r->len) {
    guint first = r->len - 1;
    while (first > 0 && ((HutchHostResource *)r->pdata[first])->waits_on_server &&
           ((HutchHostResource *)r->pdata[first - 1])->waits_on_server)
      first--;
    release_side_by_side((HutchHostResource **)r->pdata + first, r->len - first);
    g_ptr_array_set_size(r, first);
  }
}

static void
remove_runtime_dir(HutchHostResource *res)
{
  hutch_state_remove(res->data);
}

/* hutch run joined the id holder before planning (idholder.h): hutch
 * writes the maps itself. A dry run joins nothing, and says what a launch
 * would do. */
static void
plan_holder(HutchPlan *plan)
{
  if (plan->idmap.method != HUTCH_IDMAP_SUBORDINATE)
    return;
  const HutchIdHolder *joined = hutch_idholder_joined();
  HutchIdHolder found;
  g_autofree char *why = NULL;
  if (!joined && plan->policy->dry_run && hutch_idholder_find(&plan->idmap, &found, &why))
    joined = &found;
  if (joined)
    hutch_idmap_use_holder(&plan->idmap,
                           g_strdup_printf("%s, written by hutch in the user namespace of the id "
                                           "holder, pid %d",
                                           plan->idmap.why, (int)joined->pid));
  else if (plan->policy->dry_run) {
    g_autofree char *old = plan->idmap.why;
    plan->idmap.why = g_strdup_printf("%s (no id holder: %s; %s)", old, why,
                                      plan->policy->no_idholder ? plan->policy->no_idholder
                                                                : "a launch makes one");
  }
}

static gboolean
plan_identity(HutchPlan *plan, gboolean helper, GError **error)
{
  plan->uid = getuid();
  plan->gid = getgid();
  const char *user = hutch_user_name(plan->uid);
  if (helper)
    hutch_idmap_plan_single(&plan->idmap, plan->uid, plan->gid,
                            "a helper sandbox needs only your own ids");
  else
    hutch_idmap_plan(&plan->idmap, plan->uid, plan->gid, user);
  /* A broken line of the subid files is the administrator's to fix: say
   * so at each launch (the dry run lists it with the map). */
  for (guint i = 0;
       !helper && !plan->policy->dry_run && plan->idmap.problems && i < plan->idmap.problems->len;
       i++)
    g_printerr("hutch: warning: %s\n", (char *)plan->idmap.problems->pdata[i]);
  plan_holder(plan);
  plan->home = g_strdup(g_get_home_dir());
  if (g_str_equal(plan->home, "/")) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "HOME=/ cannot be a sandbox's home (the sandbox builds its home over it); set "
                "HOME to your own directory");
    return FALSE;
  }
  if (!g_path_is_absolute(plan->home)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "your home directory '%s' cannot be used; set HOME to an absolute path",
                plan->home);
    return FALSE;
  }
  plan->sandbox_runtime_dir = g_strdup_printf("/run/user/%u", (unsigned)plan->uid);
  return TRUE;
}

/* Claiming the runtime dir is what makes the name unique (see state.h). */
static gboolean
plan_runtime_dir(HutchPlan *plan, GError **error)
{
  g_autofree char *name = NULL;
  if (!hutch_state_claim(plan->name, plan->policy->sandbox_name == NULL, &name, &plan->runtime_dir,
                         error))
    return FALSE;
  g_free(plan->name);
  plan->name = g_steal_pointer(&name);
  hutch_plan_add_resource(plan, "runtime directory", remove_runtime_dir,
                          g_strdup(plan->runtime_dir), g_free);
  return TRUE;
}

static gboolean
plan_fds(HutchPlan *plan, GError **error)
{
  for (guint i = 0; i < plan->policy->pass_fds->len; i++) {
    int fd = g_array_index(plan->policy->pass_fds, int, i);
    if (fd < 3 || fcntl(fd, F_GETFD) < 0) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                  "--pass-fd %d: not an open file descriptor above 2", fd);
      return FALSE;
    }
    g_array_append_val(plan->keep_fds, fd);
  }
  plan->init_path = g_strdup(hutch_helper_path("hutch-init"));
  plan->init_fd = open(plan->init_path, O_PATH | O_CLOEXEC);
  if (plan->init_fd < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "cannot open the init helper %s: %s (is hutch installed completely?)",
                plan->init_path, g_strerror(errno));
    return FALSE;
  }
  return TRUE;
}

static void
plan_environment(HutchPlan *plan, char **host_env)
{
  const HutchPolicy *policy = plan->policy;
  plan->envp = hutch_env_build(host_env, policy);
  const char *user = hutch_user_name(plan->uid);
  hutch_plan_setenv(plan, "HOME", plan->home);
  hutch_plan_setenv(plan, "XDG_RUNTIME_DIR", plan->sandbox_runtime_dir);
  if (user) {
    hutch_plan_setenv(plan, "USER", user);
    hutch_plan_setenv(plan, "LOGNAME", user);
  }
  if (!hutch_plan_getenv(plan, "PATH"))
    hutch_plan_setenv(plan, "PATH", "/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games");
  hutch_plan_setenv(plan, "HUTCH_SANDBOX", plan->name);
  hutch_plan_setenv(plan, "container", "hutch");
}

/* A mount of the finished plan shows PATH: the sandbox has it. */
static gboolean
shown_in_sandbox(const HutchPlan *plan, const char *path)
{
  for (guint i = 0; i < plan->ops->len; i++) {
    const HutchOp *op = &g_array_index(plan->ops, HutchOp, i);
    if (op->type != HUTCH_OP_MKDIR && op->type != HUTCH_OP_SYMLINK &&
        op->type != HUTCH_OP_REMOUNT_RO && op->show_dest &&
        hutch_path_is_under(path, op->show_dest))
      return TRUE;
  }
  return FALSE;
}

/* The caller's XDG base directories name host paths. One the sandbox does
 * not show would leave the app nowhere to keep its settings (the root is
 * read-only), so it is unset and the app uses its home's ~/.config and the
 * rest, as the XDG spec says. One in the home, or in what a grant or the
 * root shows, stays. --env applies after this, and wins. */
static void
plan_xdg_base_dirs(HutchPlan *plan)
{
  static const char *const vars[] = {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME",
                                     "XDG_STATE_HOME", NULL};
  for (const char *const *v = vars; *v; v++) {
    const char *value = hutch_plan_getenv(plan, *v);
    if (!value || !g_path_is_absolute(value))
      continue; /* relative: invalid, and ignored by apps (XDG spec) */
    g_autofree char *path = g_canonicalize_filename(value, "/");
    if (hutch_path_is_under(path, plan->home) || shown_in_sandbox(plan, path))
      continue;
    hutch_plan_note(plan, "env: %s unset: %s is not in the sandbox (the app uses its home)", *v,
                    value);
    hutch_plan_unsetenv(plan, *v);
  }
}

/* Policy settings win over what passthroughs set, so they apply after the
 * plan steps. */
static void
plan_policy_env(HutchPlan *plan)
{
  plan->envp = hutch_env_apply_policy(plan->envp, plan->policy);
}

static void
plan_argv(HutchPlan *plan)
{
  GPtrArray *argv = g_ptr_array_new();
  g_ptr_array_add(argv, g_strdup("hutch-init"));
  g_ptr_array_add(argv, g_strdup("--"));
  guint app_start = argv->len;
  for (char **a = plan->policy->argv; a && *a; a++)
    g_ptr_array_add(argv, g_strdup(*a));
  g_ptr_array_add(argv, NULL);
  plan->argv = (char **)g_ptr_array_free(argv, FALSE);
  plan->app_argv = plan->argv + app_start;
}

void
hutch_plan_wrap_app(HutchPlan *plan, const char *const *wrapper)
{
  guint app_start = (guint)(plan->app_argv - plan->argv);
  GPtrArray *argv = g_ptr_array_new();
  for (guint i = 0; i < app_start; i++)
    g_ptr_array_add(argv, plan->argv[i]);
  for (const char *const *w = wrapper; *w; w++)
    g_ptr_array_add(argv, g_strdup(*w));
  guint new_start = argv->len;
  for (char **a = plan->app_argv; *a; a++)
    g_ptr_array_add(argv, *a);
  g_ptr_array_add(argv, NULL);
  g_free(plan->argv); /* its strings moved */
  plan->argv = (char **)g_ptr_array_free(argv, FALSE);
  plan->app_argv = plan->argv + new_start;
}

static void
plan_namespaces(HutchPlan *plan)
{
  const HutchPolicy *policy = plan->policy;
  plan->clone_flags = 0;
  for (int i = 0; i < HUTCH_NS_COUNT; i++)
    if (hutch_namespaces[i].always)
      plan->clone_flags |= hutch_namespaces[i].flag;
  if (hutch_kernel_has_cgroupns())
    plan->clone_flags |= hutch_namespaces[HUTCH_NS_CGROUP].flag;
  if (!hutch_policy_has(policy, HUTCH_PERM_IPC))
    plan->clone_flags |= hutch_namespaces[HUTCH_NS_IPC].flag;
  if (policy->net != HUTCH_NET_HOST) {
    plan->clone_flags |= hutch_namespaces[HUTCH_NS_NET].flag;
    plan->loopback = TRUE;
  }
  plan->hostname = g_strdup(policy->hostname);
  /* A new session keeps the app from pushing input into the caller's
   * terminal with TIOCSTI; with the seccomp filter refusing that ioctl, an
   * interactive app may keep the terminal for job control. */
  plan->new_session = !(isatty(STDIN_FILENO) && plan->seccomp.filter);
}

static void
plan_chdir(HutchPlan *plan)
{
  if (plan->policy->chdir) {
    plan->chdir = g_strdup(plan->policy->chdir);
    plan->chdir_strict = TRUE;
  } else {
    plan->chdir = g_get_current_dir();
  }
}

/* OUTER: the sandbox a helper sandbox serves (NULL for the app's own). */
static HutchPlan *
plan_new(HutchPolicy *policy, const HutchPlan *outer, const HutchPlanStep *steps, GError **error)
{
  g_autoptr(HutchPlan) plan = g_new0(HutchPlan, 1);
  plan->policy = policy;
  plan->strings = g_string_chunk_new(4096);
  plan->ops = g_array_new(FALSE, TRUE, sizeof(HutchOp));
  plan->pre_ops = g_array_new(FALSE, TRUE, sizeof(HutchOp));
  plan->keep_fds = g_array_new(FALSE, FALSE, sizeof(int));
  plan->held_fds = g_array_new(FALSE, FALSE, sizeof(int));
  plan->resources = g_ptr_array_new_with_free_func(resource_free);
  plan->tasks = g_ptr_array_new();
  plan->child_hooks = g_array_new(FALSE, FALSE, sizeof(HutchPlanChildHook));
  plan->netlink = g_byte_array_new();
  plan->notes = g_ptr_array_new_with_free_func(g_free);
  plan->resolved_dirs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  plan->rule_paths = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
  plan->init_fd = -1;
  plan->stdio_log_fd = -1;
  if (!outer && policy->sandbox_name && !hutch_name_check(policy->sandbox_name, error))
    return NULL;
  plan->name = outer                  ? g_strdup(outer->name)
               : policy->sandbox_name ? g_strdup(policy->sandbox_name)
                                      : hutch_name_base(policy);

  if (!plan_identity(plan, outer != NULL, error) || !plan_fds(plan, error))
    return NULL;
  if (outer)
    plan->runtime_dir = g_strdup(outer->runtime_dir);
  else if (!policy->dry_run && !plan_runtime_dir(plan, error))
    return NULL;
  /* A helper gets none of the user's environment: it needs none of it. */
  plan_environment(plan, outer ? NULL : environ);
  plan_argv(plan);
  plan_chdir(plan);
  for (const HutchPlanStep *step = steps; step->name; step++) {
    if (!hutch_interrupt_check(error) || !step->run(plan, error)) {
      hutch_plan_release(plan);
      return NULL;
    }
  }
  plan_xdg_base_dirs(plan);
  plan_policy_env(plan);
  plan_namespaces(plan);
  plan->await_go = plan->tasks->len > 0 || plan->child_hooks->len > 0;
  return g_steal_pointer(&plan);
}

HutchPlan *
hutch_plan_new(HutchPolicy *policy, const HutchPlanStep *steps, GError **error)
{
  return plan_new(policy, NULL, steps, error);
}

HutchPlan *
hutch_plan_new_helper(HutchPolicy *policy, const HutchPlan *outer, const HutchPlanStep *steps,
                      GError **error)
{
  return plan_new(policy, outer, steps, error);
}

void
hutch_plan_free(HutchPlan *plan)
{
  if (!plan)
    return;
  hutch_plan_release(plan);
  hutch_limits_clear(&plan->limits);
  g_ptr_array_unref(plan->resources);
  g_ptr_array_unref(plan->tasks);
  g_array_unref(plan->child_hooks);
  g_byte_array_unref(plan->netlink);
  g_free(plan->ping_group_range);
  g_ptr_array_unref(plan->notes);
  g_hash_table_unref(plan->resolved_dirs);
  g_hash_table_unref(plan->rule_paths);
  if (plan->protected)
    g_ptr_array_unref(plan->protected);
  g_string_chunk_free(plan->strings);
  g_array_unref(plan->ops);
  g_array_unref(plan->pre_ops);
  g_array_unref(plan->keep_fds);
  g_array_unref(plan->held_fds);
  g_strfreev(plan->envp);
  g_strfreev(plan->argv);
  g_free(plan->hostname);
  g_free(plan->chdir);
  g_free(plan->name);
  g_free(plan->runtime_dir);
  g_free(plan->sandbox_runtime_dir);
  g_free(plan->home);
  g_free(plan->init_path);
  if (plan->init_fd >= 0)
    close(plan->init_fd);
  hutch_idmap_clear(&plan->idmap);
  hutch_seccomp_program_clear(&plan->seccomp);
  g_free(plan);
}
