/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch images: list the image store. hutch destroy NAME: remove one. */
#include "cmd-common.h"
#include "commands.h"
#include "error.h"
#include "image-destroy.h"
#include "image-list.h"
#include "print.h"
#include <stdio.h>
#include <string.h>

static char *
created_text(GDateTime *when)
{
  g_autoptr(GDateTime) local = when ? g_date_time_to_local(when) : NULL;
  return local ? g_date_time_format(local, "%Y-%m-%d %H:%M") : g_strdup("?");
}

/* g_format_size puts a no-break space before the unit; a table read by
 * scripts wants a plain one. */
static char *
size_text(guint64 bytes)
{
  g_autofree char *text = g_format_size(bytes);
  g_autoptr(GString) plain = g_string_new(text);
  g_string_replace(plain, "\u00a0", " ", 0);
  return g_string_free(g_steal_pointer(&plain), FALSE);
}

static void
print_image(const HutchImageEntry *e, int width)
{
  g_autofree char *size = size_text(e->size);
  g_autofree char *created = created_text(e->created);
  const char *arch = e->arch;
  /* The distribution's name and arch come from the image's own files. */
  hutch_print_line(stdout, "%-*s  %10s  %-16s  %s%s%s%s", width, e->name, size, created,
                   e->distro ? e->distro : "unknown", arch ? " (" : "", arch ? arch : "",
                   arch ? ")" : "");
}

int
hutch_cmd_images(int argc, char **argv, GError **error)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);
  g_option_context_set_summary(ctx, "List the images made by hutch create.");
  if (!hutch_cmd_parse_context(ctx, &argc, &argv, error))
    return -1;
  if (argc > 1) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE, "images: takes no arguments");
    return -1;
  }
  g_autoptr(GPtrArray) images = hutch_image_list();
  int width = 20;
  for (guint i = 0; i < images->len; i++)
    width = MAX(width, (int)strlen(((HutchImageEntry *)images->pdata[i])->name));
  hutch_print_line(stdout, "%-*s  %10s  %-16s  %s", width, "NAME", "SIZE", "CREATED", "DISTRO");
  for (guint i = 0; i < images->len; i++)
    print_image(images->pdata[i], width);
  return 0;
}

int
hutch_cmd_destroy(int argc, char **argv, GError **error)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new("NAME");
  g_option_context_set_summary(ctx, "Remove image NAME (refused while a sandbox runs it).");
  if (!hutch_cmd_parse_context(ctx, &argc, &argv, error))
    return -1;
  if (argc != 2) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE, "destroy: give one image NAME");
    return -1;
  }
  gboolean leftovers_only;
  if (!hutch_image_destroy(argv[1], &leftovers_only, error))
    return -1;
  if (leftovers_only)
    g_printerr("hutch destroy: removed what an interrupted create or destroy of %s left\n",
               argv[1]);
  else
    g_printerr("hutch destroy: image %s removed\n", argv[1]);
  return 0;
}
