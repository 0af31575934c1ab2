/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "profile-lint.h"
#include "util.h"
#include <string.h>

/* What every program in the sandbox runs from. */
static const char *const system_dirs[] = {"/",      "/usr",  "/etc", "/bin",  "/lib",
                                          "/lib64", "/proc", "/dev", "/sbin", NULL};

/* The user's keys and credentials, relative to the home. */
static const char *const secrets[] = {
    ".ssh", ".gnupg", ".pki", ".password-store", ".local/share/keyrings", ".netrc", ".aws", NULL};

static void warn(GPtrArray *warnings, const char *origin, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void
warn(GPtrArray *warnings, const char *origin, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_ptr_array_add(warnings, g_strdup_printf("%s: warning: %s", origin ? origin : "?", msg));
}

static gboolean
within(const char *path, const char *dir)
{
  gsize len = strlen(dir);
  return g_str_has_prefix(path, dir) && (path[len] == '/' || path[len] == '\0');
}

static void
lint_rule(const HutchPathRule *r, const char *home, GPtrArray *warnings)
{
  const char *mode = hutch_path_mode_name(r->mode);
  g_autofree char *path = hutch_expand_path(r->path, home, NULL);
  if (!path)
    return;
  /* A grant needs its path (a hidden one that is not there is nothing to
   * hide). */
  if (!r->optional && (r->mode == HUTCH_PATH_RO || r->mode == HUTCH_PATH_RW) &&
      !g_file_test(path, G_FILE_TEST_EXISTS))
    warn(warnings, r->origin,
         "%s=%s: no such path on this host (the launch fails there; write -%s if it may be "
         "missing)",
         mode, r->path, r->path);
  if (r->mode == HUTCH_PATH_HIDE || r->mode == HUTCH_PATH_TMPFS) {
    for (const char *const *d = system_dirs; *d; d++)
      if (g_str_equal(path, *d))
        warn(warnings, r->origin,
             "%s=%s: every program in the sandbox runs from %s; the app will not start", mode,
             r->path, *d);
    return;
  }
  if (r->mode == HUTCH_PATH_RW)
    for (const char *const *d = system_dirs; *d; d++)
      if (g_str_equal(path, *d))
        warn(warnings, r->origin, "rw=%s: lets the app change the system (%s) it runs from",
             r->path, *d);
  for (const char *const *s = secrets; *s; s++) {
    g_autofree char *secret = g_build_filename(home, *s, NULL);
    if (within(secret, path))
      warn(warnings, r->origin, "%s=%s: grants your %s (keys and credentials): is it meant?", mode,
           r->path, *s);
  }
}

void
hutch_profile_lint(const HutchPolicy *policy, GPtrArray *warnings)
{
  const char *home = g_get_home_dir();
  for (guint i = 0; i < policy->paths->len; i++)
    lint_rule(policy->paths->pdata[i], home, warnings);
  if (policy->home == HUTCH_HOME_RW)
    warn(warnings, hutch_policy_origin(policy, "home"),
         "home=rw: the app can change every file of yours, startup files included; home=ro "
         "with rw= for what it writes is safer");
}
