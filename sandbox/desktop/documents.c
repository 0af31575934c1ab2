/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The document portal: the user's files named on the command line, and
 * the files chosen in the portals' file chooser, reach the sandbox as
 * flatpak passes them: xdg-document-portal exports each one for the app's
 * id, and its FUSE file system shows it (and only it) in the app's view,
 * $XDG_RUNTIME_DIR/doc (bound from the portal's doc/by-app/APP_ID). Saving
 * works there as anywhere, by a new file renamed over the old one, and the
 * portal writes it through to the user's file.
 *
 * A file argument (file-args.h) the sandbox already shows at its own path
 * stays as it is (made absolute where the caller's directory is not in the
 * sandbox). Any other is exported and the argument rewritten to its path
 * inside. Without a document portal it is refused, in one line: binding
 * the file alone breaks saving (rename over a mount point fails with
 * EBUSY), binding its directory would hand the app everything beside it
 * (all of the home for ~/notes.txt), and leaving the argument as it is
 * would have the app open or save a file that is not the user's. Paths a
 * profile hides, and hutch's own files, are refused whatever runs. */
#include "desktop.h"
#include "bus-rules.h"
#include "dbus.h"
#include "documents-portal.h"
#include "error.h"
#include "file-args.h"
#include "paths.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#define WHY "documents"
#define FUSE_SUPER_MAGIC 0x65735546

/* The last mount the plan makes at PATH or above it (NULL: only the new
 * root's own tmpfs, read-only in the end). */
static const HutchOp *
covering_mount(HutchPlan *plan, const char *path)
{
  const HutchOp *cover = NULL;
  for (guint i = 0; i < plan->ops->len; i++) {
    const HutchOp *op = &g_array_index(plan->ops, HutchOp, i);
    gboolean mounts = op->type != HUTCH_OP_SYMLINK && op->type != HUTCH_OP_MKDIR &&
                      op->type != HUTCH_OP_REMOUNT_RO;
    if (mounts && op->show_dest && hutch_path_is_under(path, op->show_dest))
      cover = op;
  }
  return cover;
}

/* TRUE when the sandbox shows the host's PATH at PATH: its covering mount
 * binds the host directory it is in (not a private home, not the empty
 * stand-in of a hidden path). */
static gboolean
shown_in_sandbox(HutchPlan *plan, const char *path)
{
  const HutchOp *cover = covering_mount(plan, path);
  return cover && cover->type == HUTCH_OP_BIND && cover->show_src &&
         g_str_equal(cover->show_src, cover->show_dest);
}

/* TRUE when the app could make a file in DIR that is not the user's: the
 * sandbox has a directory there, writable, that is not the host's (the
 * empty home, a fresh /tmp, a private home). Elsewhere making it fails,
 * which the app reports. */
static gboolean
writable_stand_in(HutchPlan *plan, const char *dir)
{
  const HutchOp *cover = covering_mount(plan, dir);
  if (!cover || (cover->flags & (HUTCH_OPF_RDONLY | HUTCH_OPF_SEAL)))
    return FALSE;
  if (cover->type == HUTCH_OP_TMPFS)
    return g_str_equal(cover->show_dest, dir);
  if (cover->type != HUTCH_OP_BIND || !cover->show_src)
    return FALSE;
  g_autofree char *there = g_strconcat(cover->show_src, dir + strlen(cover->show_dest), NULL);
  return g_file_test(there, G_FILE_TEST_IS_DIR);
}

/* The root filesystem's own directories: a path there means the sandbox's
 * file (an image's /etc/shadow, the overlay's /usr/bin/env), not one of
 * the user's documents. */
static gboolean
system_path(HutchPlan *plan, const char *path)
{
  static const char *const system[] = {"/usr",   "/etc",   "/bin",    "/sbin", "/lib",
                                       "/lib32", "/lib64", "/libx32", "/opt",  "/var",
                                       "/boot",  "/root",  "/run",    "/srv",  NULL};
  static const char *const user[] = {"/var/tmp", "/run/media", NULL};
  if (hutch_path_is_under(path, plan->home))
    return FALSE;
  for (const char *const *u = user; *u; u++)
    if (hutch_path_is_under(path, *u))
      return FALSE;
  for (const char *const *d = system; *d; d++)
    if (hutch_path_is_under(path, *d))
      return TRUE;
  return FALSE;
}

/* TRUE when ARG must be passed in: the sandbox does not show it, and the
 * app would otherwise open or make a file that is not the user's. */
static gboolean
needs_passing_in(HutchPlan *plan, const HutchFileArg *arg)
{
  g_autofree char *dir = g_path_get_dirname(arg->path);
  if (shown_in_sandbox(plan, arg->exists ? arg->path : dir) || system_path(plan, arg->path))
    return FALSE;
  return arg->exists || writable_stand_in(plan, dir);
}

/* TRUE when a grant names PATH or a directory above it that is inside
 * HIDDEN: a grant that names what a hide covers shows it (plan/protect.c). */
static gboolean
granted_inside(HutchPlan *plan, const char *path, const char *hidden)
{
  GPtrArray *rules = plan->policy->paths;
  for (guint i = 0; i < rules->len; i++) {
    const HutchPathRule *rule = rules->pdata[i];
    if (rule->mode != HUTCH_PATH_RO && rule->mode != HUTCH_PATH_RW)
      continue;
    const char *granted = hutch_plan_rule_path(plan, rule);
    if (granted && hutch_path_is_under(path, granted) && hutch_path_is_under(granted, hidden))
      return TRUE;
  }
  return FALSE;
}

/* A hide rule of the policy that covers PATH, for the refusal. */
static const HutchPathRule *
hidden_by(HutchPlan *plan, const char *path)
{
  GPtrArray *rules = plan->policy->paths;
  for (guint i = 0; i < rules->len; i++) {
    const HutchPathRule *rule = rules->pdata[i];
    if (rule->mode != HUTCH_PATH_HIDE)
      continue;
    const char *expanded = hutch_plan_rule_path(plan, rule);
    g_autofree char *real = expanded ? realpath(expanded, NULL) : NULL;
    if ((expanded && hutch_path_is_under(path, expanded) &&
         !granted_inside(plan, path, expanded)) ||
        (real && hutch_path_is_under(path, real) && !granted_inside(plan, path, real)))
      return rule;
  }
  return NULL;
}

/* hutch's own state and the X cookies are never an app's file. */
static gboolean
hutch_own_file(const char *path)
{
  g_autofree char *data = hutch_user_data_dir();
  g_autofree char *config = g_build_filename(g_get_user_config_dir(), "hutch", NULL);
  g_autofree char *runtime = g_build_filename(g_get_user_runtime_dir(), "hutch", NULL);
  g_autofree char *xauth = g_build_filename(g_get_home_dir(), ".Xauthority", NULL);
  const char *env_xauth = g_getenv("XAUTHORITY");
  const char *dirs[] = {data, config, runtime, xauth, env_xauth, NULL};
  for (const char **d = dirs; *d; d++) {
    g_autofree char *real = realpath(*d, NULL);
    if (hutch_path_is_under(path, *d) || (real && hutch_path_is_under(path, real)))
      return TRUE;
  }
  return FALSE;
}

typedef struct {
  HutchDocBus *bus; /* NULL: no session bus, or no portal on it */
  char *mount;      /* where the portal's file system is on the host */
  char *why_none;   /* why there is none, for the refusal */
} DocPortal;

static void
doc_portal_clear(DocPortal *portal)
{
  g_clear_pointer(&portal->bus, hutch_doc_portal_close);
  g_clear_pointer(&portal->mount, g_free);
  g_clear_pointer(&portal->why_none, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(DocPortal, doc_portal_clear)

/* Connect to the user's session bus and ask the portal where it is
 * mounted, which starts it where the bus can (documents-portal.c, in
 * hutch-portal.so: only a launch that passes files in loads GIO). */
static void
find_doc_portal(DocPortal *portal)
{
  g_autofree char *address = hutch_dbus_host_address(HUTCH_BUS_SESSION, NULL);
  if (!address) {
    portal->why_none = g_strdup("there is no session bus");
    return;
  }
  portal->bus = hutch_doc_portal_connect(address, &portal->mount, &portal->why_none);
}

static void
replace_arg(HutchPlan *plan, guint i, const HutchFileArg *arg, const char *path)
{
  char *value = arg->uri ? g_filename_to_uri(path, NULL, NULL) : g_strdup(path);
  g_free(plan->app_argv[i]);
  plan->app_argv[i] = value;
}

/* Pass the file in through the portal and rewrite the argument. */
static gboolean
forward(HutchPlan *plan, DocPortal *portal, const char *app_id, guint i, const HutchFileArg *arg,
        GError **error)
{
  const char *given = plan->app_argv[i];
  if (!portal->bus) {
    g_autofree char *dir = g_path_get_dirname(arg->path);
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "%s: this file is not in the sandbox, and no document portal runs to pass it in "
                "(%s); start xdg-document-portal (package xdg-desktop-portal), or grant its "
                "folder: --rw %s",
                given, portal->why_none, dir);
    return FALSE;
  }
  if (!plan->runtime_dir) { /* dry run: nothing is exported */
    hutch_plan_note(plan, "documents: %s: passed in through the document portal", given);
    return TRUE;
  }
  g_autoptr(GError) local = NULL;
  g_autofree char *id =
      hutch_doc_portal_export(portal->bus, app_id, arg->path, arg->exists, &local);
  if (!id) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "%s: the document portal did not export it: %s", given,
                local ? local->message : "no document id");
    return FALSE;
  }
  g_autofree char *name = g_path_get_basename(arg->path);
  g_autofree char *inside = g_build_filename(plan->sandbox_runtime_dir, "doc", id, name, NULL);
  hutch_plan_note(plan, "documents: %s: passed in through the document portal as %s", given,
                  inside);
  replace_arg(plan, i, arg, inside);
  return TRUE;
}

/* One file argument: leave it, make it absolute, forward it, or refuse. */
static gboolean
plan_file_arg(HutchPlan *plan, DocPortal *portal, const char *app_id, guint i,
              const HutchFileArg *arg, gboolean *forwarded, GError **error)
{
  const char *given = plan->app_argv[i];
  g_autofree char *dir = g_path_get_dirname(arg->path);
  /* First: the hides are applied last (plan/protect.c), so a hidden path
   * still looks shown here. */
  const HutchPathRule *hide = hidden_by(plan, arg->path);
  if (hide || hutch_own_file(arg->path)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "%s: %s%s; a file argument does not pass it in", given,
                hide ? "hidden by " : "one of hutch's own files or your X cookies",
                hide ? (hide->origin ? hide->origin : "--hide") : "");
    return FALSE;
  }
  if (!needs_passing_in(plan, arg)) {
    /* The app starts in the caller's directory only where the sandbox has
     * it; a relative path the sandbox shows must not depend on that. */
    if (!arg->uri && !g_path_is_absolute(given) &&
        shown_in_sandbox(plan, arg->exists ? arg->path : dir) &&
        !shown_in_sandbox(plan, plan->chdir))
      replace_arg(plan, i, arg, arg->path);
    return TRUE;
  }
  *forwarded = TRUE;
  return forward(plan, portal, app_id, i, arg, error);
}

static gboolean
plan_file_args(HutchPlan *plan, DocPortal *portal, const char *app_id, gboolean *forwarded,
               GError **error)
{
  for (guint i = 1; plan->app_argv[i]; i++) {
    g_auto(HutchFileArg) arg = {0};
    if (hutch_file_arg_parse(plan->app_argv[i], plan->chdir, &arg) &&
        !plan_file_arg(plan, portal, app_id, i, &arg, forwarded, error))
      return FALSE;
  }
  return TRUE;
}

/* TRUE when some argument is a file the sandbox does not show. */
static gboolean
needs_portal(HutchPlan *plan)
{
  if (plan->policy->file_args == HUTCH_FILE_ARGS_KEEP)
    return FALSE;
  for (guint i = 1; plan->app_argv[i]; i++) {
    g_auto(HutchFileArg) arg = {0};
    /* A hidden path, or one of hutch's own, is refused even where the
     * sandbox seems to show it (its hide comes last, plan/protect.c). */
    if (hutch_file_arg_parse(plan->app_argv[i], plan->chdir, &arg) &&
        (needs_passing_in(plan, &arg) || hidden_by(plan, arg.path) || hutch_own_file(arg.path)))
      return TRUE;
  }
  return FALSE;
}

/* The app's view of the portal's file system: its own documents only. */
static gboolean
bind_documents(HutchPlan *plan, const DocPortal *portal, const char *app_id, GError **error)
{
  g_autofree char *source = g_build_filename(portal->mount, "by-app", app_id, NULL);
  g_autofree char *inside = g_build_filename(plan->sandbox_runtime_dir, "doc", NULL);
  return hutch_plan_bind(plan, source, inside, 0, WHY, error);
}

/* The portal's file system where it usually is, once it runs: found so, it
 * costs no round trip on the bus. */
static gboolean
find_doc_mount(DocPortal *portal)
{
  g_autofree char *mount = g_build_filename(g_get_user_runtime_dir(), "doc", NULL);
  g_autofree char *by_app = g_build_filename(mount, "by-app", NULL);
  struct statfs fs;
  if (statfs(mount, &fs) < 0 || fs.f_type != FUSE_SUPER_MAGIC ||
      !g_file_test(by_app, G_FILE_TEST_IS_DIR))
    return FALSE;
  portal->mount = g_steal_pointer(&mount);
  return TRUE;
}

gboolean
hutch_documents_plan(HutchPlan *plan, GError **error)
{
  /* Said even without arguments: the dry run shows the policy, not this
   * command line's luck. */
  if (plan->policy->file_args == HUTCH_FILE_ARGS_KEEP)
    hutch_plan_note(plan, "documents: file arguments are passed as given, never through the "
                          "document portal (file-args=keep)");
  /* The portals' file chooser hands the app documents as well. */
  gboolean chooser =
      hutch_policy_may_call(plan->policy, HUTCH_BUS_SESSION, "org.freedesktop.portal.Desktop") ||
      hutch_policy_may_call(plan->policy, HUTCH_BUS_SESSION, HUTCH_DOC_PORTAL_NAME);
  gboolean files = needs_portal(plan);
  if (!chooser && !files)
    return TRUE;
  g_auto(DocPortal) portal = {0};
  g_autofree char *app_id = hutch_policy_app_id(plan->policy);
  if (!files && find_doc_mount(&portal)) {
    hutch_plan_note(plan, "documents: the document portal at %s shows the app its documents",
                    portal.mount);
    return bind_documents(plan, &portal, app_id, error);
  }
  find_doc_portal(&portal);
  gboolean forwarded = FALSE;
  if (plan->policy->file_args == HUTCH_FILE_ARGS_FORWARD &&
      !plan_file_args(plan, &portal, app_id, &forwarded, error))
    return FALSE;
  if (!portal.mount) {
    hutch_plan_note(plan,
                    "documents: no document portal (%s): files chosen in the portals' file "
                    "chooser will not reach the app",
                    portal.why_none);
    return TRUE;
  }
  hutch_plan_note(plan, "documents: the document portal at %s shows the app its documents",
                  portal.mount);
  return bind_documents(plan, &portal, app_id, error);
}
