/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch create NAME --template debian|steam | --from-tar FILE */
#include "cmd-common.h"
#include "commands.h"
#include "error.h"
#include "print.h"
#include "image-build.h"
#include "image.h"
#include "template-debian.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

typedef struct {
  char *template_name;
  char *from_tar;
  gboolean dry_run;
  HutchDebianOptions debian;
} CreateOptions;

static void
create_options_clear(CreateOptions *o)
{
  g_free(o->template_name);
  g_free(o->from_tar);
  g_free(o->debian.release);
  g_free(o->debian.arch);
  g_free(o->debian.mirror);
  g_free(o->debian.include);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CreateOptions, create_options_clear)

static gboolean
parse_create_options(CreateOptions *o, int *argc, char ***argv, GError **error)
{
  GOptionEntry entries[] = {
      {"template", 0, 0, G_OPTION_ARG_STRING, &o->template_name,
       "Build with TEMPLATE: debian, or steam (Debian with i386 and Steam's libraries)",
       "TEMPLATE"},
      {"release", 0, 0, G_OPTION_ARG_STRING, &o->debian.release,
       "Distribution release (default: the host's Debian release, else bookworm)", "RELEASE"},
      {"arch", 0, 0, G_OPTION_ARG_STRING, &o->debian.arch,
       "Architecture: the host's, or i386 on amd64", "ARCH"},
      {"mirror", 0, 0, G_OPTION_ARG_STRING, &o->debian.mirror,
       "Package archive (default: the one apt uses)", "URL"},
      {"include", 0, 0, G_OPTION_ARG_STRING, &o->debian.include, "Also install these packages",
       "PKG,..."},
      {"from-tar", 0, 0, G_OPTION_ARG_FILENAME, &o->from_tar,
       "Import a root filesystem tarball (docker/podman export, ...)", "FILE"},
      {"dry-run", 0, 0, G_OPTION_ARG_NONE, &o->dry_run, "Print the commands, build nothing", NULL},
      {NULL},
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("NAME");
  g_option_context_set_summary(ctx, "Make image NAME for 'hutch run --image NAME'.");
  g_option_context_add_main_entries(ctx, entries, NULL);
  if (!hutch_cmd_parse_context(ctx, argc, argv, error))
    return FALSE;
  const char *problem = NULL;
  if (*argc != 2)
    problem = "give one image NAME: hutch create NAME --template debian | --from-tar FILE";
  else if (!o->template_name == !o->from_tar)
    problem = "give either --template debian or --from-tar FILE";
  else if (o->template_name && !g_str_equal(o->template_name, "debian") &&
           !g_str_equal(o->template_name, "steam"))
    problem = "unknown --template (use debian, or steam)";
  else if (o->template_name && g_str_equal(o->template_name, "steam") && o->debian.arch &&
           !g_str_equal(o->debian.arch, "amd64"))
    problem = "--template steam is amd64 with i386 beside it: drop --arch";
  else if (o->from_tar &&
           (o->debian.release || o->debian.arch || o->debian.mirror || o->debian.include))
    problem = "--release, --arch, --mirror and --include go with --template, not --from-tar";
  if (problem)
    g_set_error_literal(error, HUTCH_ERROR, HUTCH_ERROR_USAGE, problem);
  return problem == NULL;
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
is_steam(const CreateOptions *o)
{
  return o->template_name && g_str_equal(o->template_name, "steam");
}

/* The steam template starts from Debian amd64 with what apt needs to
 * fetch over https. */
static gboolean
resolve_template(CreateOptions *o, GError **error)
{
  if (is_steam(o)) {
    if (!o->debian.arch)
      o->debian.arch = g_strdup("amd64");
    g_autofree char *inc = o->debian.include;
    o->debian.include = g_strconcat("ca-certificates", inc ? "," : "", inc ? inc : "", NULL);
  }
  return hutch_debian_resolve(&o->debian, error);
}

static void
print_argv(char **argv)
{
  for (char **a = argv; *a; a++) {
    g_autofree char *q = g_shell_quote(*a);
    printf("%s%s", a == argv ? "" : " ", q);
  }
  printf("\n");
}

/* --dry-run: the commands the build runs, in order. */
static int
print_commands(CreateOptions *o, const char *name, GError **error)
{
  if (o->from_tar) {
    printf("import %s as image %s\n", o->from_tar, name);
    return 0;
  }
  if (!resolve_template(o, error))
    return -1;
  g_autofree char *image = hutch_image_dir(name);
  g_autofree char *rootfs = g_build_filename(image, "rootfs", NULL);
  g_auto(GStrv) argv = hutch_debian_argv(&o->debian, rootfs, error);
  if (!argv)
    return -1;
  print_argv(argv);
  if (is_steam(o)) {
    g_auto(GStrv) steam = hutch_steam_template_argv(rootfs);
    print_argv(steam);
  }
  return 0;
}

static gboolean
build_debian(HutchImageBuild *build, CreateOptions *o, GKeyFile *info, GError **error)
{
  HutchDebianOptions *d = &o->debian;
  if (!resolve_template(o, error))
    return FALSE;
  g_auto(GStrv) argv = hutch_debian_argv(d, hutch_image_build_rootfs(build), error);
  if (!argv)
    return FALSE;
  g_auto(GStrv) envp = hutch_debian_envp();
  hutch_print_line(stderr, "hutch create: debootstrap %s %s from %s (this takes a few minutes)",
                   d->release, d->arch, d->mirror);
  g_key_file_set_string(info, "Image", "Template", "debian");
  g_key_file_set_string(info, "Image", "Release", d->release);
  g_key_file_set_string(info, "Image", "Arch", d->arch);
  g_key_file_set_string(info, "Image", "Mirror", d->mirror);
  if (d->include)
    g_key_file_set_string(info, "Image", "Include", d->include);
  if (!hutch_image_build_run(build, argv, envp, error))
    return FALSE;
  if (!is_steam(o))
    return TRUE;
  g_printerr("hutch create: i386 multiarch and Steam's libraries (%s)\n", HUTCH_STEAM_PACKAGES);
  g_key_file_set_string(info, "Image", "Template", "steam");
  g_auto(GStrv) steam = hutch_steam_template_argv(hutch_image_build_rootfs(build));
  return hutch_image_build_run(build, steam, envp, error);
}

static gboolean
build_from_tar(HutchImageBuild *build, CreateOptions *o, GKeyFile *info, GError **error)
{
  g_autofree char *file = realpath(o->from_tar, NULL);
  if (!file || access(file, R_OK) < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE, "--from-tar %s: %s", o->from_tar,
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
  hutch_print_line(stderr, "hutch create: importing %s", file);
  g_key_file_set_string(info, "Image", "Source", file);
  return hutch_image_build_run(build, argv, envp, error);
}

int
hutch_cmd_create(int argc, char **argv, GError **error)
{
  g_auto(CreateOptions) o = {0};
  if (!parse_create_options(&o, &argc, &argv, error)) {
    (*error)->domain = HUTCH_ERROR;
    (*error)->code = HUTCH_ERROR_USAGE;
    return -1;
  }
  const char *name = argv[1];
  if (o.dry_run)
    return print_commands(&o, name, error);
  g_autoptr(HutchImageBuild) build = hutch_image_build_begin(name, error);
  g_autoptr(GKeyFile) info = new_info(name);
  gboolean ok = build &&
                (o.from_tar ? build_from_tar(build, &o, info, error)
                            : build_debian(build, &o, info, error)) &&
                hutch_image_build_commit(build, info, error);
  if (ok) {
    g_autofree char *dir = hutch_image_dir(name);
    hutch_print_line(stderr, "hutch create: image %s is ready in %s", name, dir);
    return 0;
  }
  /* Interrupted: what was built is gone, and the status says by what. */
  int sig = build ? hutch_image_build_interrupted(build) : 0;
  if (!sig)
    return -1;
  hutch_print_line(stderr, "hutch create: %s; removing what was built", (*error)->message);
  g_clear_error(error);
  return 128 + sig;
}
