/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch create NAME --template debian|steam | --from-tar FILE
 * (rootfs/image-create.h does the work, for the panel too). */
#include "cmd-common.h"
#include "commands.h"
#include "error.h"
#include "image-create.h"
#include "image.h"
#include "print.h"
#include <stdio.h>

static gboolean
parse_create_options(HutchImageSource *o, gboolean *dry_run, int *argc, char ***argv,
                     GError **error)
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
      {"dry-run", 0, 0, G_OPTION_ARG_NONE, dry_run, "Print the commands, build nothing", NULL},
      {NULL},
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("NAME");
  g_option_context_set_summary(ctx, "Make image NAME for 'hutch run --image NAME'.");
  g_option_context_add_main_entries(ctx, entries, NULL);
  if (!hutch_cmd_parse_context(ctx, argc, argv, error))
    return FALSE;
  if (*argc != 2) {
    g_set_error_literal(
        error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
        "give one image NAME: hutch create NAME --template debian|steam | --from-tar FILE");
    return FALSE;
  }
  return hutch_image_source_check(o, error);
}

static void
print_argv(char **argv)
{
  g_autoptr(GString) line = g_string_new(NULL);
  for (char **a = argv; *a; a++) {
    g_autofree char *q = g_shell_quote(*a);
    g_string_append_printf(line, "%s%s", a == argv ? "" : " ", q);
  }
  hutch_print_line(stdout, "%s", line->str);
}

/* --dry-run: the commands the build runs, in order. */
static int
print_commands(HutchImageSource *o, const char *name, GError **error)
{
  if (o->from_tar) {
    hutch_print_line(stdout, "import %s as image %s", o->from_tar, name);
    return 0;
  }
  if (!hutch_image_source_resolve(o, error))
    return -1;
  g_autofree char *image = hutch_image_dir(name);
  g_autofree char *rootfs = g_build_filename(image, "rootfs", NULL);
  g_auto(GStrv) argv = hutch_debian_argv(&o->debian, rootfs, error);
  if (!argv)
    return -1;
  print_argv(argv);
  if (hutch_image_source_is_steam(o)) {
    g_auto(GStrv) steam = hutch_steam_template_argv(rootfs);
    print_argv(steam);
  }
  return 0;
}

int
hutch_cmd_create(int argc, char **argv, GError **error)
{
  g_auto(HutchImageSource) o = {0};
  gboolean dry_run = FALSE;
  if (!parse_create_options(&o, &dry_run, &argc, &argv, error)) {
    (*error)->domain = HUTCH_ERROR;
    (*error)->code = HUTCH_ERROR_USAGE;
    return -1;
  }
  if (dry_run)
    return print_commands(&o, argv[1], error);
  int sig;
  if (hutch_image_create(argv[1], &o, NULL, NULL, -1, &sig, error))
    return 0;
  if (!sig)
    return -1;
  /* Interrupted: what was built is gone, and the status says by what. */
  g_clear_error(error);
  return 128 + sig;
}
