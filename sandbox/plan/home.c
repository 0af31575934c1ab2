/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The app's home: empty, private and persistent, or the user's own. */
#include "error.h"
#include "paths.h"
#include "plan-steps.h"
#include "util.h"
#include <errno.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A home made by this launch goes again if nothing was written to it: a
 * launch that failed, or an app that kept nothing, leaves no empty home. */
static void
remove_if_empty(HutchHostResource *res)
{
  rmdir(res->data);
}

static gboolean
plan_private_home(HutchPlan *plan, GError **error)
{
  const HutchPolicy *policy = plan->policy;
  /* A launcher's game (steam-APPID) has a home of its own, not the game
   * profile's. */
  const char *app = policy->name_base ? policy->name_base : policy->profile_name;
  if (!app) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "home mode 'private' needs a profile name (use --profile NAME)");
    return FALSE;
  }
  g_autofree char *data = hutch_user_data_dir();
  g_autofree char *dir = g_build_filename(data, "homes", app, NULL);
  gboolean exists = g_file_test(dir, G_FILE_TEST_IS_DIR);
  if (policy->dry_run && !exists) {
    /* A dry run makes nothing. */
    hutch_plan_note(plan, "private home: %s (made by the first real run)", dir);
    hutch_plan_add_op(plan, HUTCH_OP_BIND, dir, plan->home, "home private");
    return TRUE;
  }
  if (!exists) {
    if (g_mkdir_with_parents(dir, 0700) < 0) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot create private home %s: %s", dir,
                  g_strerror(errno));
      return FALSE;
    }
    hutch_plan_add_resource(plan, "the private home, if it stayed empty", remove_if_empty,
                            g_strdup(dir), g_free);
  }
  hutch_plan_note(plan, "private home: %s", dir);
  return hutch_plan_bind(plan, dir, plan->home, 0, "home private", error);
}

gboolean
hutch_home_plan(HutchPlan *plan, GError **error)
{
  switch (plan->policy->home) {
  case HUTCH_HOME_NONE:
    hutch_plan_tmpfs(plan, plan->home, 0700, "home none");
    return TRUE;
  case HUTCH_HOME_PRIVATE:
    return plan_private_home(plan, error);
  case HUTCH_HOME_RO:
    return hutch_plan_bind(plan, plan->home, plan->home, HUTCH_OPF_RDONLY, "home ro", error);
  case HUTCH_HOME_RW:
    return hutch_plan_bind(plan, plan->home, plan->home, 0, "home rw", error);
  }
  return TRUE;
}

/* The host directories the sandbox can write: read-write binds planned so
 * far (home rw or private) and every read-write path rule, in any order. */
static GPtrArray *
writable_dirs(HutchPlan *plan)
{
  GPtrArray *dirs = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < plan->ops->len; i++) {
    const HutchOp *op = &g_array_index(plan->ops, HutchOp, i);
    if (op->type == HUTCH_OP_BIND && !(op->flags & HUTCH_OPF_RDONLY) && op->show_src)
      g_ptr_array_add(dirs, g_strdup(op->show_src));
  }
  for (guint i = 0; i < plan->policy->paths->len; i++) {
    const HutchPathRule *rule = plan->policy->paths->pdata[i];
    if (rule->mode != HUTCH_PATH_RW)
      continue;
    const char *path = hutch_plan_rule_path(plan, rule);
    char *real = path ? realpath(path, NULL) : NULL;
    if (real)
      g_ptr_array_add(dirs, real);
  }
  return dirs;
}

/* Walk PATH as realpath does and refuse it when one of its symlinks lies in
 * a directory the sandbox can write: the app may have planted it there, on
 * an earlier run, to point this grant at anything the user can read. The
 * child opens the resolved path with RESOLVE_NO_SYMLINKS, so a symlink
 * planted after this check makes the launch fail instead. */
static gboolean
check_planted_symlinks(HutchPlan *plan, const char *path, const char *origin, GError **error)
{
  g_autoptr(GPtrArray) writable = writable_dirs(plan);
  g_autofree char *resolved = g_strdup("/");
  g_autofree char *rest = g_strdup(path);
  for (int links = 0; *rest;) {
    char *slash = strchr(rest, '/');
    g_autofree char *comp = slash ? g_strndup(rest, slash - rest) : g_strdup(rest);
    char *next = g_strdup(slash ? slash + 1 : "");
    g_free(rest);
    rest = next;
    if (!*comp || g_str_equal(comp, "."))
      continue;
    if (g_str_equal(comp, "..")) {
      char *up = g_path_get_dirname(resolved);
      g_free(resolved);
      resolved = up;
      continue;
    }
    g_autofree char *candidate = g_build_filename(resolved, comp, NULL);
    struct stat st;
    if (lstat(candidate, &st) < 0)
      return TRUE; /* realpath reports it */
    if (!S_ISLNK(st.st_mode)) {
      g_free(resolved);
      resolved = g_steal_pointer(&candidate);
      continue;
    }
    if (++links > 40)
      return TRUE; /* realpath reports the loop */
    for (guint i = 0; i < writable->len; i++) {
      if (hutch_path_is_under(resolved, writable->pdata[i])) {
        g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                    "%s %s: goes through the symlink %s inside the writable %s, which the app "
                    "could have planted; grant the target itself",
                    origin, path, candidate, (char *)writable->pdata[i]);
        return FALSE;
      }
    }
    g_autofree char *target = g_file_read_link(candidate, NULL);
    if (!target)
      return TRUE;
    if (g_path_is_absolute(target)) {
      g_free(resolved);
      resolved = g_strdup("/");
    }
    next = g_strconcat(target, "/", rest, NULL);
    g_free(rest);
    rest = next;
  }
  return TRUE;
}

static gboolean
plan_rule(HutchPlan *plan, const HutchPathRule *rule, GError **error)
{
  const char *why = rule->origin ? rule->origin : hutch_path_mode_name(rule->mode);
  const char *path = hutch_plan_rule_path(plan, rule);
  if (!path) {
    g_free(hutch_expand_path(rule->path, plan->home, error)); /* for the error */
    g_prefix_error(error, "%s %s: ", rule->origin ? rule->origin : "", rule->path);
    return FALSE;
  }
  switch (rule->mode) {
  case HUTCH_PATH_RO:
  case HUTCH_PATH_RW: {
    if (!check_planted_symlinks(plan, path, rule->origin ? rule->origin : "", error))
      return FALSE;
    g_autofree char *real = realpath(path, NULL);
    if (real && !hutch_protect_check_grant(plan, rule, path, real, error))
      return FALSE;
    if (!real && rule->optional) {
      hutch_plan_note(plan, "%s %s: not on this host, skipped (optional)", rule->origin,
                      rule->path);
      return TRUE;
    }
    if (!real) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                  "%s %s: %s (create it first, or drop the rule)", rule->origin ? rule->origin : "",
                  rule->path, g_strerror(errno));
      return FALSE;
    }
    guint flags = rule->mode == HUTCH_PATH_RO ? HUTCH_OPF_RDONLY : 0;
    /* Binding at the resolved path keeps the sandbox view identical to the
     * host's, and leaves no symlink in the destination to follow. */
    return hutch_plan_bind(plan, real, real, flags, why, error);
  }
  case HUTCH_PATH_HIDE:
    /* Applied by the protect step, over every bind planned (protect.c). */
    return TRUE;
  case HUTCH_PATH_TMPFS:
    hutch_plan_tmpfs(plan, path, 0755, why);
    return TRUE;
  }
  return TRUE;
}

typedef struct {
  const HutchPathRule *rule;
  guint depth;
  guint index;
} OrderedRule;

static guint
path_depth(HutchPlan *plan, const HutchPathRule *rule)
{
  const char *path = hutch_plan_rule_path(plan, rule);
  guint depth = 0;
  for (const char *p = path; p && *p; p++)
    depth += *p == '/';
  return depth;
}

static int
by_depth_then_order(gconstpointer a, gconstpointer b)
{
  const OrderedRule *x = a, *y = b;
  if (x->depth != y->depth)
    return x->depth < y->depth ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* Rules apply parents first, so a grant inside a hidden or read-only
 * directory lands on top of it (hide=~/.config with rw=~/.config/app is a
 * whitelist); rules on the same path keep their order, where deny comes
 * last. */
gboolean
hutch_paths_plan(HutchPlan *plan, GError **error)
{
  GPtrArray *rules = plan->policy->paths;
  g_autofree OrderedRule *order = g_new0(OrderedRule, rules->len + 1);
  for (guint i = 0; i < rules->len; i++)
    order[i] = (OrderedRule){rules->pdata[i], path_depth(plan, rules->pdata[i]), i};
  qsort(order, rules->len, sizeof(OrderedRule), by_depth_then_order);
  for (guint i = 0; i < rules->len; i++)
    if (!plan_rule(plan, order[i].rule, error))
      return FALSE;
  return TRUE;
}

static gboolean
has_mount_below(HutchPlan *plan, guint after, const char *dir)
{
  g_autofree char *prefix = g_strconcat(dir, "/", NULL);
  for (guint j = after + 1; j < plan->ops->len; j++) {
    const char *dest = g_array_index(plan->ops, HutchOp, j).show_dest;
    if (dest && g_str_has_prefix(dest, prefix))
      return TRUE;
  }
  return FALSE;
}

/* A hidden directory that later grants reach into becomes a whitelist:
 * traversable, showing only the granted entries; either way it ends
 * read-only. */
static void
seal_hidden_dirs(HutchPlan *plan)
{
  guint n = plan->ops->len;
  for (guint i = 0; i < n; i++) {
    HutchOp *op = &g_array_index(plan->ops, HutchOp, i);
    if (!(op->flags & HUTCH_OPF_SEAL))
      continue;
    const char *dest = op->show_dest, *why = op->why;
    if (has_mount_below(plan, i, dest)) {
      op->data = "mode=0755,size=4k";
      hutch_plan_note(plan, "%s: only the paths granted inside it are visible", dest);
    }
    hutch_plan_add_op(plan, HUTCH_OP_REMOUNT_RO, NULL, dest, why);
  }
}

gboolean
hutch_finish_plan(HutchPlan *plan, GError **error)
{
  seal_hidden_dirs(plan);
  /* Last: nothing may create files in the new root's own tmpfs any more. */
  hutch_plan_add_op(plan, HUTCH_OP_REMOUNT_RO, NULL, "/", "finish");
  return TRUE;
}
