/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch create NAME --template debian | --from-tar FILE (rootfs/image-create.h). */
#include "commands.h"
#include "error.h"
#include "image-create.h"

static gboolean
parse_create_options(HutchImageSource *o, int *argc, char ***argv, GError **error)
{
  GOptionEntry entries[] = {
      {"template", 0, 0, G_OPTION_ARG_STRING, &o->template_name, "Build with TEMPLATE (debian)",
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
      {NULL},
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("NAME");
  g_option_context_set_summary(ctx, "Make image NAME for 'hutch run --image NAME'.");
  g_option_context_add_main_entries(ctx, entries, NULL);
  if (!g_option_context_parse(ctx, argc, argv, error))
    return FALSE;
  if (*argc != 2) {
    g_set_error_literal(
        error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
        "give one image NAME: hutch create NAME --template debian | --from-tar FILE");
    return FALSE;
  }
  return hutch_image_source_check(o, error);
}

int
hutch_cmd_create(int argc, char **argv, GError **error)
{
  g_auto(HutchImageSource) o = {0};
  if (!parse_create_options(&o, &argc, &argv, error)) {
    (*error)->domain = HUTCH_ERROR;
    (*error)->code = HUTCH_ERROR_USAGE;
    return -1;
  }
  int sig;
  if (hutch_image_create(argv[1], &o, NULL, NULL, -1, &sig, error))
    return 0;
  if (!sig)
    return -1;
  /* Interrupted: what was built is gone, and the status says by what. */
  g_clear_error(error);
  return 128 + sig;
}
