/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "image-create.h"
#include "error.h"
#include "image-build.h"
#include "image.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void
hutch_image_source_clear(HutchImageSource *s)
{
  g_free(s->template_name);
  g_free(s->from_tar);
  g_free(s->debian.release);
  g_free(s->debian.arch);
  g_free(s->debian.mirror);
  g_free(s->debian.include);
}

gboolean
hutch_image_source_check(const HutchImageSource *s, GError **error)
{
  const char *problem = NULL;
  if (!s->template_name == !s->from_tar)
    problem = "give either --template debian or --from-tar FILE";
  else if (s->template_name && !g_str_equal(s->template_name, "debian") &&
           !g_str_equal(s->template_name, "steam"))
    problem = "unknown --template (use debian, or steam)";
  else if (hutch_image_source_is_steam(s) && s->debian.arch &&
           !g_str_equal(s->debian.arch, "amd64"))
    problem = "--template steam is amd64 with i386 beside it: drop --arch";
  else if (s->from_tar &&
           (s->debian.release || s->debian.arch || s->debian.mirror || s->debian.include))
    problem = "--release, --arch, --mirror and --include go with --template, not --from-tar";
  if (problem)
    g_set_error_literal(error, HUTCH_ERROR, HUTCH_ERROR_USAGE, problem);
  return problem == NULL;
}

gboolean
hutch_image_source_is_steam(const HutchImageSource *s)
{
  return s->template_name && g_str_equal(s->template_name, "steam");
}

/* The steam template starts from Debian amd64 with what apt needs to
 * fetch over https. */
gboolean
hutch_image_source_resolve(HutchImageSource *s, GError **error)
{
  if (hutch_image_source_is_steam(s) && !s->resolved) {
    if (!s->debian.arch)
      s->debian.arch = g_strdup("amd64");
    g_autofree char *inc = s->debian.include;
    s->debian.include = g_strconcat("ca-certificates", inc ? "," : "", inc ? inc : "", NULL);
  }
  s->resolved = TRUE;
  return hutch_debian_resolve(&s->debian, error);
}

static GKeyFile *
new_info(const char *name)
{
  GKeyFile *info = g_key_file_new();
  g_autoptr(GDateTime) now = g_date_time_new_now_local();
  g_autofree char *created = g_date_time_format_iso8601(now);
  g_key_file_set_string(info, "Image", "Name", name);
  g_key_file_set_string(info, "Image", "Created", created);
  return info;
}

static gboolean
build_debian(HutchImageBuild *build, HutchImageSource *s, GKeyFile *info, GError **error)
{
  HutchDebianOptions *d = &s->debian;
  if (!hutch_image_source_resolve(s, error))
    return FALSE;
  g_auto(GStrv) argv = hutch_debian_argv(d, hutch_image_build_rootfs(build), error);
  if (!argv)
    return FALSE;
  g_auto(GStrv) envp = hutch_debian_envp();
  hutch_image_build_step(build, "debootstrap %s %s from %s (this takes a few minutes)", d->release,
                         d->arch, d->mirror);
  g_key_file_set_string(info, "Image", "Template", "debian");
  g_key_file_set_string(info, "Image", "Release", d->release);
  g_key_file_set_string(info, "Image", "Arch", d->arch);
  g_key_file_set_string(info, "Image", "Mirror", d->mirror);
  if (d->include)
    g_key_file_set_string(info, "Image", "Include", d->include);
  if (!hutch_image_build_run(build, argv, envp, error))
    return FALSE;
  if (!hutch_image_source_is_steam(s))
    return TRUE;
  hutch_image_build_step(build, "i386 multiarch and Steam's libraries (%s)", HUTCH_STEAM_PACKAGES);
  g_key_file_set_string(info, "Image", "Template", "steam");
  g_auto(GStrv) steam = hutch_steam_template_argv(hutch_image_build_rootfs(build));
  return hutch_image_build_run(build, steam, envp, error);
}

static gboolean
build_from_tar(HutchImageBuild *build, HutchImageSource *s, GKeyFile *info, GError **error)
{
  g_autofree char *file = realpath(s->from_tar, NULL);
  if (!file || access(file, R_OK) < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE, "--from-tar %s: %s", s->from_tar,
                g_strerror(errno));
    return FALSE;
  }
  /* Numeric owners: the archive's ids, not this host's names for them.
   * /dev is the sandbox's own, and device nodes cannot be made anyway. */
  char *argv[] = {"/bin/tar",
                  "-x",
                  "--numeric-owner",
                  "-p",
                  "-f",
                  file,
                  "-C",
                  (char *)hutch_image_build_rootfs(build),
                  "--exclude=./dev/*",
                  "--exclude=dev/*",
                  "--checkpoint=2000",
                  "--checkpoint-action=echo=%{r}T",
                  NULL};
  char *envp[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL};
  hutch_image_build_step(build, "importing %s", file);
  g_key_file_set_string(info, "Image", "Source", file);
  return hutch_image_build_run(build, argv, envp, error);
}

gboolean
hutch_image_create(const char *name, HutchImageSource *source, HutchProgressFn progress,
                   gpointer data, int cancel_fd, int *interrupted, GError **error)
{
  *interrupted = 0;
  if (!hutch_image_source_check(source, error))
    return FALSE;
  g_autoptr(HutchImageBuild) build = hutch_image_build_begin(name, progress, data, error);
  if (!build)
    return FALSE;
  hutch_image_build_set_cancel_fd(build, cancel_fd);
  g_autoptr(GKeyFile) info = new_info(name);
  gboolean ok = (source->from_tar ? build_from_tar(build, source, info, error)
                                  : build_debian(build, source, info, error)) &&
                hutch_image_build_commit(build, info, error);
  if (ok) {
    g_autofree char *dir = hutch_image_dir(name);
    hutch_image_build_step(build, "image %s is ready in %s", name, dir);
    return TRUE;
  }
  /* Stopped: what was built is removed as BUILD goes, and the caller
   * learns by what. */
  *interrupted = hutch_image_build_interrupted(build);
  if (*interrupted || hutch_image_build_cancelled(build))
    hutch_image_build_step(build, "%s; removing what was built", (*error)->message);
  return FALSE;
}
