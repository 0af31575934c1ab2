/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What no grant opens: the paths a sandbox must not see or must not change,
 * whatever it is granted, and the check that a grant does not reach them
 * through a symlink.
 *
 * - hutch's own directories: its configuration (profiles, overrides) is
 *   read-only in every sandbox; its data (images, overlays, the private
 *   homes of other apps) and its runtime directory (every sandbox's state
 *   and saved seccomp filter) are hidden. A sandbox that could write them
 *   could widen its own next launch, run without a filter when entered, or
 *   have `hutch stop` kill something else.
 * - the files firejail protects from a read-write home: shell and session
 *   startup files, autostart entries, menu entries, user units, the PATH
 *   directories in the home, ~/.ssh and ~/.gnupg: read-only, unless a
 *   profile rule names the path itself. Only those that exist: a missing
 *   one cannot be mounted over without creating it.
 * - every hide rule.
 *
 * Each is matched against the binds of the finished plan: wherever a bind
 * shows one of these host paths (home rw, --rw ~/.config, --ro /, ...), a
 * hide or a read-only bind of it goes right after that bind, so that
 * grants inside it planned later still land on top (a hidden directory
 * with grants inside is a whitelist). The directories between the bind and
 * the path are bound onto themselves there: a mount point cannot be
 * renamed, so the app cannot move the protected path aside and make a new
 * one where hutch and the shell will look.
 *
 * And a grant whose resolved target lies in a hidden or protected path
 * while its own path does not (a symlink on the way, perhaps planted by
 * another sandbox) is refused, naming both. */
#include "error.h"
#include "paths.h"
#include "plan-steps.h"
#include "util.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef enum {
  PROTECT_HIDE,
  PROTECT_READ_ONLY,
} ProtectKind;

typedef struct {
  ProtectKind kind;
  char *literal;    /* the path as named, expanded */
  char *real;       /* resolved; NULL when it does not exist */
  char *why;        /* what asked for it: an origin, or "hutch's data" */
  gboolean own;     /* hutch's own directory: never granted, changes noted */
  gboolean is_file; /* a file, not a directory */
} Protected;

static void
protected_free(gpointer p)
{
  Protected *pr = p;
  g_free(pr->literal);
  g_free(pr->real);
  g_free(pr->why);
  g_free(pr);
}

/* The files firejail keeps read-only in a read-write home (its
 * disable-common.inc): ~ is the home, $CONFIG and $DATA the XDG config and
 * data homes. */
static const char *const read_only_in_home[] = {
    /* shells and sessions: code every login or terminal runs */
    "~/.bashrc",
    "~/.bash_profile",
    "~/.bash_login",
    "~/.bash_logout",
    "~/.bash_aliases",
    "~/.profile",
    "~/.zshrc",
    "~/.zshenv",
    "~/.zprofile",
    "~/.zlogin",
    "~/.zlogout",
    "~/.zshrc.local",
    "~/.zsh.d",
    "~/.oh-my-zsh",
    "~/.cshrc",
    "~/.tcshrc",
    "~/.login",
    "~/.logout",
    "~/.kshrc",
    "~/.mkshrc",
    "$CONFIG/fish",
    "~/.pam_environment",
    "$CONFIG/environment.d",
    "~/.xinitrc",
    "~/.xprofile",
    "~/.xsession",
    "~/.xsessionrc",
    "~/.Xsession",
    "~/.gnomerc",
    "~/.Xresources",
    "~/.Xdefaults",
    /* what the desktop starts or offers to start */
    "$CONFIG/autostart",
    "$CONFIG/autostart-scripts",
    "$DATA/autostart",
    "$DATA/applications",
    "$CONFIG/menus",
    "$CONFIG/mimeapps.list",
    "$DATA/mime",
    "$CONFIG/systemd",
    "$DATA/systemd",
    "$DATA/dbus-1",
    /* where the user's directories are (hutch's xdg- names read it too) */
    "$CONFIG/user-dirs.dirs",
    "$CONFIG/user-dirs.locale",
    /* programs in the PATH, and startup files of common tools */
    "~/bin",
    "~/.local/bin",
    "~/.vimrc",
    "~/.vim",
    "~/.emacs",
    "~/.emacs.d",
    "~/.exrc",
    "~/.nanorc",
    "~/.tmux.conf",
    "~/.gitconfig",
    "$CONFIG/git",
    "$CONFIG/nvim",
    "~/.npmrc",
    "~/.pythonrc.py",
    "$CONFIG/pulse",
    /* keys and their configuration */
    "~/.ssh",
    "~/.gnupg",
    NULL,
};

static char *
expand_builtin(const char *path, const char *home)
{
  if (g_str_has_prefix(path, "~/"))
    return hutch_path_join(home, path + 2);
  if (g_str_has_prefix(path, "$CONFIG/"))
    return hutch_path_join(g_get_user_config_dir(), path + 8);
  if (g_str_has_prefix(path, "$DATA/"))
    return hutch_path_join(g_get_user_data_dir(), path + 6);
  return g_strdup(path);
}

static Protected *
add(HutchPlan *plan, ProtectKind kind, const char *literal, const char *why, gboolean own)
{
  Protected *pr = g_new0(Protected, 1);
  pr->kind = kind;
  pr->literal = hutch_canonical_path(literal);
  struct stat st;
  pr->real = hutch_plan_resolve(plan, pr->literal, &st);
  pr->why = g_strdup(why);
  pr->own = own;
  pr->is_file = pr->real && !S_ISDIR(st.st_mode);
  g_ptr_array_add(plan->protected, pr);
  return pr;
}

/* hutch's own directories, made now if missing: one that does not exist
 * could be made by an app with a writable home, profiles and all. */
static void
add_own(HutchPlan *plan)
{
  g_autofree char *config = g_build_filename(g_get_user_config_dir(), "hutch", NULL);
  g_autofree char *data = hutch_user_data_dir();
  g_mkdir_with_parents(config, 0700);
  g_mkdir_with_parents(data, 0700);
  add(plan, PROTECT_READ_ONLY, config, "hutch's configuration", TRUE);
  add(plan, PROTECT_HIDE, data, "hutch's data: images, overlays, other apps' homes", TRUE);
  const char *runtime = hutch_runtime_root(NULL);
  if (runtime)
    add(plan, PROTECT_HIDE, runtime, "hutch's runtime state", TRUE);
}

/* PATH or one of its parents is in SET: as hutch_path_is_under against
 * each member, for canonical paths, in as many lookups as PATH has
 * components rather than a comparison per member (the checks below ask
 * it for every built-in path, against a hundred hide rules). */
static gboolean
ancestor_in(GHashTable *set, const char *path)
{
  g_autofree char *walk = g_strdup(path);
  char *slash;
  while (!g_hash_table_contains(set, walk)) {
    slash = strrchr(walk, '/');
    if (!slash || slash == walk)
      return g_hash_table_contains(set, "/");
    *slash = '\0';
  }
  return TRUE;
}

/* Each path of the policy's rules and every directory above it: a path in
 * this set is, or holds, a path a rule names (NULL where a rule does not
 * expand; the paths step reports those). */
static GHashTable *
rule_paths_and_parents(HutchPlan *plan)
{
  GHashTable *set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *rules = plan->policy->paths;
  for (guint i = 0; i < rules->len; i++) {
    const char *expanded = hutch_plan_rule_path(plan, rules->pdata[i]);
    if (!expanded)
      continue;
    g_autofree char *walk = g_strdup(expanded);
    char *slash;
    /* A path already in has its parents in as well. */
    while (g_hash_table_add(set, g_strdup(walk)) && (slash = strrchr(walk, '/')) && slash != walk)
      *slash = '\0';
    g_hash_table_add(set, g_strdup("/"));
  }
  return set;
}

gboolean
hutch_protect_collect(HutchPlan *plan, GError **error)
{
  plan->protected = g_ptr_array_new_with_free_func(protected_free);
  add_own(plan);
  g_autoptr(GHashTable) hidden = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < plan->protected->len; i++) {
    const Protected *pr = plan->protected->pdata[i];
    if (pr->kind == PROTECT_HIDE)
      g_hash_table_add(hidden, pr->literal);
  }
  GPtrArray *rules = plan->policy->paths;
  for (guint i = 0; i < rules->len; i++) {
    const HutchPathRule *rule = rules->pdata[i];
    /* A path that does not expand is reported by the paths step. */
    const char *path = hutch_plan_rule_path(plan, rule);
    if (!path || rule->mode != HUTCH_PATH_HIDE)
      continue;
    const char *why = rule->origin ? rule->origin : "--hide";
    g_hash_table_add(hidden, add(plan, PROTECT_HIDE, path, why, FALSE)->literal);
  }
  g_autoptr(GHashTable) named = rule_paths_and_parents(plan);
  for (const char *const *p = read_only_in_home; *p; p++) {
    g_autofree char *joined = expand_builtin(*p, plan->home);
    g_autofree char *path = hutch_canonical_path(joined);
    struct stat st;
    /* The hide check first: it is in memory, and a hidden secret (~/.ssh)
     * is often on this list too. A path a rule names, or one holding such
     * a path, is the rule's to decide. */
    if (ancestor_in(hidden, path) || lstat(path, &st) < 0 || g_hash_table_contains(named, path))
      continue;
    add(plan, PROTECT_READ_ONLY, path, "kept read-only in a writable home", FALSE);
  }
  return TRUE;
}

/* --- the grant check ------------------------------------------------------ */

static gboolean
refuse(const char *origin, const char *path, const char *real, const Protected *pr,
       const char *what, GError **error)
{
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
              "%s %s: resolves to %s, which %s (%s); refused: a symlink on the way may have "
              "been planted by an app",
              origin, path, real, what, pr->why);
  return FALSE;
}

gboolean
hutch_protect_check_grant(HutchPlan *plan, const HutchPathRule *rule, const char *literal,
                          const char *real, GError **error)
{
  const char *origin = rule->origin ? rule->origin : hutch_path_mode_name(rule->mode);
  gboolean writable = rule->mode == HUTCH_PATH_RW;
  for (guint i = 0; i < plan->protected->len; i++) {
    const Protected *pr = plan->protected->pdata[i];
    gboolean real_inside =
        hutch_path_is_under(real, pr->literal) || (pr->real && hutch_path_is_under(real, pr->real));
    gboolean named_inside = hutch_path_is_under(literal, pr->literal);
    if (pr->own && (real_inside || named_inside) && (pr->kind == PROTECT_HIDE || writable)) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE, "%s %s: %s is %s, which no sandbox may %s",
                  origin, rule->path, real, pr->why,
                  pr->kind == PROTECT_HIDE ? "see" : "change (grant it read-only)");
      return FALSE;
    }
    /* A path named inside a hidden one is a whitelist entry; reached only
     * through a symlink, it is not. */
    if (!pr->own && real_inside && !named_inside) {
      if (pr->kind == PROTECT_HIDE)
        return refuse(origin, rule->path, real, pr, "is hidden", error);
      if (writable)
        return refuse(origin, rule->path, real, pr, "hutch keeps read-only", error);
    }
  }
  return TRUE;
}

/* --- the protect step ------------------------------------------------------ */

/* Where a protected host path shows in the sandbox: through bind AFTER
 * (ops index), at AT (a sandbox path), and whether that bind is
 * writable. */
typedef struct {
  guint after;
  char *at;
  char *host;
  const Protected *pr;
  gboolean writable;
} Exposure;

static void
exposure_free(gpointer p)
{
  Exposure *e = p;
  g_free(e->at);
  g_free(e->host);
  g_free(e);
}

static gboolean
mounts_something(HutchOpType type)
{
  return type != HUTCH_OP_MKDIR && type != HUTCH_OP_SYMLINK && type != HUTCH_OP_REMOUNT_RO;
}

/* A later mount at or above AT covers what op I shows there. */
static gboolean
covered_later(HutchPlan *plan, guint i, const char *at)
{
  for (guint j = i + 1; j < plan->ops->len; j++) {
    const HutchOp *op = &g_array_index(plan->ops, HutchOp, j);
    if (mounts_something(op->type) && op->show_dest && hutch_path_is_under(at, op->show_dest))
      return TRUE;
  }
  return FALSE;
}

static gboolean
binds_a_host_path(const HutchOp *op)
{
  return op->type == HUTCH_OP_BIND && op->src && op->show_src && op->show_dest &&
         g_str_has_prefix(op->src, HUTCH_OLDROOT "/");
}

static void
find_exposures(HutchPlan *plan, const Protected *pr, GPtrArray *out)
{
  for (guint i = 0; i < plan->ops->len; i++) {
    const HutchOp *op = &g_array_index(plan->ops, HutchOp, i);
    /* A bind of the path itself is a grant that names it, checked by
     * hutch_protect_check_grant: it shows what it names. The host root's
     * own binds (/opt, /srv, ...) name nothing: a hide of one applies. */
    if (!binds_a_host_path(op) || !hutch_path_is_under(pr->real, op->show_src) ||
        (g_str_equal(pr->real, op->show_src) && g_strcmp0(op->why, HUTCH_ROOTFS_HOST_WHY) != 0))
      continue;
    gsize n = strlen(op->show_src);
    const char *rest = pr->real + (n == 1 ? 0 : n);
    g_autofree char *at = g_strconcat(op->show_dest, rest, NULL);
    g_autofree char *canon = g_canonicalize_filename(at, "/");
    if (covered_later(plan, i, canon))
      continue;
    gboolean writable = !(op->flags & HUTCH_OPF_RDONLY);
    if (pr->kind == PROTECT_READ_ONLY && !writable)
      continue;
    Exposure *e = g_new0(Exposure, 1);
    e->after = i;
    e->at = g_steal_pointer(&canon);
    e->host = g_strdup(pr->real);
    e->pr = pr;
    e->writable = writable;
    g_ptr_array_add(out, e);
  }
}

/* Ops appended to a plan of their own, to be inserted after a bind. */
static gboolean
add_hide_op(HutchPlan *plan, const Exposure *e, GError **error)
{
  if (!e->pr->is_file) {
    /* Writable until the finish step seals it, so grants inside it still
     * get their mount points. */
    HutchOp *op = hutch_plan_add_op(plan, HUTCH_OP_TMPFS, NULL, e->at, e->pr->why);
    op->data = "mode=0000,size=4k";
    op->flags = HUTCH_OPF_SEAL;
    return TRUE;
  }
  /* A file is covered by an empty, unreadable, read-only one. */
  if (!plan->runtime_dir) { /* dry run: nothing is created on the host */
    HutchOp *op = hutch_plan_add_op(plan, HUTCH_OP_BIND, "/(empty file)", e->at, e->pr->why);
    op->flags = HUTCH_OPF_RDONLY | HUTCH_OPF_FILE;
    return TRUE;
  }
  g_autofree char *empty = g_build_filename(plan->runtime_dir, "empty", NULL);
  if (!g_file_test(empty, G_FILE_TEST_EXISTS) &&
      !g_file_set_contents_full(empty, "", 0, G_FILE_SET_CONTENTS_NONE, 0000, error))
    return FALSE;
  return hutch_plan_bind(plan, empty, e->at, HUTCH_OPF_RDONLY, e->pr->why, error);
}

/* The directories strictly between the bind at DEST and AT, bound onto
 * themselves so they cannot be renamed (see the top of this file). */
static gboolean
pin_parents(HutchPlan *plan, const HutchOp *bind, const Exposure *e, GHashTable *pinned,
            GError **error)
{
  g_autofree char *dir = g_path_get_dirname(e->at);
  g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func(g_free);
  while (!g_str_equal(dir, bind->show_dest) && hutch_path_is_under(dir, bind->show_dest) &&
         !g_str_equal(dir, "/")) {
    g_ptr_array_insert(chain, 0, g_strdup(dir));
    char *up = g_path_get_dirname(dir);
    g_free(dir);
    dir = up;
  }
  for (guint k = 0; k < chain->len; k++) {
    const char *at = chain->pdata[k];
    if (!g_hash_table_add(pinned, g_strdup(at)))
      continue;
    gsize n = strlen(bind->show_dest);
    g_autofree char *host = g_strconcat(bind->show_src, at + n, NULL);
    if (!hutch_plan_bind(plan, host, at, bind->flags & ~HUTCH_OPF_SEAL, bind->why, error))
      return FALSE;
  }
  return TRUE;
}

static void
note_narrowed(HutchPlan *plan, const Exposure *e, const HutchOp *bind)
{
  if (!e->pr->own && e->pr->kind != PROTECT_READ_ONLY)
    return;
  hutch_plan_note(plan, "narrowed: %s is %s (%s), though %s shows it", e->at,
                  e->pr->kind == PROTECT_HIDE ? "hidden" : "read-only", e->pr->why, bind->why);
}

static int
by_depth(gconstpointer a, gconstpointer b)
{
  const Exposure *x = *(Exposure *const *)a, *y = *(Exposure *const *)b;
  guint dx = 0, dy = 0;
  for (const char *p = x->at; *p; p++)
    dx += *p == '/';
  for (const char *p = y->at; *p; p++)
    dy += *p == '/';
  return dx < dy ? -1 : dx > dy;
}

/* The ops for the exposures through bind AFTER, in a GArray of their own:
 * the pinned parents first, then the hides and read-only binds, parents
 * before children. */
static GArray *
ops_after(HutchPlan *plan, guint after, GPtrArray *exposures, GError **error)
{
  const HutchOp bind = g_array_index(plan->ops, HutchOp, after);
  GArray *saved = plan->ops;
  plan->ops = g_array_new(FALSE, TRUE, sizeof(HutchOp));
  g_autoptr(GHashTable) pinned = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  gboolean ok = TRUE;
  for (guint k = 0; ok && k < exposures->len; k++) {
    const Exposure *e = exposures->pdata[k];
    if (e->writable)
      ok = pin_parents(plan, &bind, e, pinned, error);
  }
  for (guint k = 0; ok && k < exposures->len; k++) {
    const Exposure *e = exposures->pdata[k];
    note_narrowed(plan, e, &bind);
    if (e->pr->kind == PROTECT_HIDE)
      ok = add_hide_op(plan, e, error);
    else
      ok = hutch_plan_bind(plan, e->host, e->at, HUTCH_OPF_RDONLY, e->pr->why, error);
  }
  GArray *made = plan->ops;
  plan->ops = saved;
  if (!ok)
    g_clear_pointer(&made, g_array_unref);
  return made;
}

static int
by_bind_then_depth(gconstpointer a, gconstpointer b)
{
  const Exposure *x = *(Exposure *const *)a, *y = *(Exposure *const *)b;
  if (x->after != y->after)
    return x->after > y->after ? -1 : 1; /* the last bind first: indexes stay valid */
  return by_depth(a, b);
}

gboolean
hutch_protect_plan(HutchPlan *plan, GError **error)
{
  g_autoptr(GPtrArray) exposures = g_ptr_array_new_with_free_func(exposure_free);
  g_autoptr(GHashTable) hidden = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < plan->protected->len; i++) {
    const Protected *pr = plan->protected->pdata[i];
    if (pr->real)
      find_exposures(plan, pr, exposures);
  }
  g_ptr_array_sort(exposures, by_bind_then_depth);
  for (guint k = 0; k < exposures->len;) {
    guint after = ((Exposure *)exposures->pdata[k])->after;
    g_autoptr(GPtrArray) group = g_ptr_array_new();
    for (; k < exposures->len && ((Exposure *)exposures->pdata[k])->after == after; k++) {
      Exposure *e = exposures->pdata[k];
      /* One hide per place (a hide rule may repeat hutch's own). */
      if (e->pr->kind == PROTECT_HIDE && !g_hash_table_add(hidden, e->at))
        continue;
      g_ptr_array_add(group, e);
    }
    g_autoptr(GArray) made = ops_after(plan, after, group, error);
    if (!made)
      return FALSE;
    g_array_insert_vals(plan->ops, after + 1, made->data, made->len);
  }
  return TRUE;
}
