/* The app's home: empty, private and persistent, or the user's own. */
#include "error.h"
#include "paths.h"
#include "plan-steps.h"
#include <errno.h>
#include <sys/stat.h>

static gboolean
plan_private_home(HutchPlan *plan, GError **error)
{
  const char *app = plan->policy->profile_name;
  if (!app) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "home mode 'private' needs a profile name (use --profile NAME)");
    return FALSE;
  }
  g_autofree char *data = hutch_user_data_dir();
  g_autofree char *dir = g_build_filename(data, "homes", app, NULL);
  if (g_mkdir_with_parents(dir, 0700) < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot create private home %s: %s", dir,
                g_strerror(errno));
    return FALSE;
  }
  hutch_plan_note(plan, "private home: %s", dir);
  return hutch_plan_bind(plan, dir, plan->home, 0, "home private", error);
}

gboolean
hutch_home_plan(HutchPlan *plan, GError **error)
{
  switch (plan->policy->home) {
  case HUTCH_HOME_NONE: {
    HutchOp *op = hutch_plan_add_op(plan, HUTCH_OP_TMPFS, NULL, plan->home, "home none");
    op->data = "mode=0700";
    return TRUE;
  }
  case HUTCH_HOME_PRIVATE:
    return plan_private_home(plan, error);
  case HUTCH_HOME_RO:
    return hutch_plan_bind(plan, plan->home, plan->home, HUTCH_OPF_RDONLY, "home ro", error);
  case HUTCH_HOME_RW:
    return hutch_plan_bind(plan, plan->home, plan->home, 0, "home rw", error);
  }
  return TRUE;
}

static gboolean
plan_hide(HutchPlan *plan, const char *path, const char *why, GError **error)
{
  struct stat st;
  if (stat(path, &st) < 0)
    return TRUE; /* nothing there to hide */
  if (S_ISDIR(st.st_mode)) {
    HutchOp *op = hutch_plan_add_op(plan, HUTCH_OP_TMPFS, NULL, path, why);
    op->data = "mode=0000,size=4k";
    op->flags = HUTCH_OPF_RDONLY;
    return TRUE;
  }
  /* A file is covered by an empty, unreadable, read-only one. */
  if (!plan->runtime_dir) { /* dry run: nothing is created on the host */
    HutchOp *op = hutch_plan_add_op(plan, HUTCH_OP_BIND, "/(empty file)", path, why);
    op->flags = HUTCH_OPF_RDONLY | HUTCH_OPF_FILE;
    return TRUE;
  }
  g_autofree char *empty = g_build_filename(plan->runtime_dir, "empty", NULL);
  if (!g_file_test(empty, G_FILE_TEST_EXISTS) &&
      !g_file_set_contents_full(empty, "", 0, G_FILE_SET_CONTENTS_NONE, 0000, error))
    return FALSE;
  return hutch_plan_bind(plan, empty, path, HUTCH_OPF_RDONLY, why, error);
}

static gboolean
plan_rule(HutchPlan *plan, const HutchPathRule *rule, GError **error)
{
  const char *why = rule->origin ? rule->origin : hutch_path_mode_name(rule->mode);
  g_autofree char *path = hutch_expand_path(rule->path, plan->home, error);
  if (!path)
    return FALSE;
  switch (rule->mode) {
  case HUTCH_PATH_RO:
  case HUTCH_PATH_RW: {
    g_autofree char *real = realpath(path, NULL);
    if (!real) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                  "%s %s: %s (create it first, or drop the rule)",
                  rule->origin ? rule->origin : "", rule->path, g_strerror(errno));
      return FALSE;
    }
    guint flags = rule->mode == HUTCH_PATH_RO ? HUTCH_OPF_RDONLY : 0;
    /* Binding at the resolved path keeps the sandbox view identical to the
     * host's, and leaves no symlink in the destination to follow. */
    return hutch_plan_bind(plan, real, real, flags, why, error);
  }
  case HUTCH_PATH_HIDE:
    return plan_hide(plan, path, why, error);
  case HUTCH_PATH_TMPFS: {
    HutchOp *op = hutch_plan_add_op(plan, HUTCH_OP_TMPFS, NULL, path, why);
    op->data = "mode=0755";
    return TRUE;
  }
  }
  return TRUE;
}

gboolean
hutch_paths_plan(HutchPlan *plan, GError **error)
{
  for (guint i = 0; i < plan->policy->paths->len; i++)
    if (!plan_rule(plan, plan->policy->paths->pdata[i], error))
      return FALSE;
  return TRUE;
}

gboolean
hutch_finish_plan(HutchPlan *plan, GError **error)
{
  /* Last: nothing may create files in the new root's own tmpfs any more. */
  hutch_plan_add_op(plan, HUTCH_OP_REMOUNT_RO, NULL, "/", "finish");
  return TRUE;
}
