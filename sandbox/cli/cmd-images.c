/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch images: list the image store. hutch destroy NAME: remove one. */
#include "cmd-common.h"
#include "commands.h"
#include "error.h"
#include "file-read.h"
#include "print.h"
#include "image.h"
#include "userns.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static char *
created_text(GKeyFile *info, const char *dir)
{
  g_autofree char *iso = info ? g_key_file_get_string(info, "Image", "Created", NULL) : NULL;
  g_autoptr(GDateTime) when = iso ? g_date_time_new_from_iso8601(iso, NULL) : NULL;
  struct stat st;
  if (!when && stat(dir, &st) == 0)
    when = g_date_time_new_from_unix_local(st.st_mtime);
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
print_image(const char *images, const char *name, int width)
{
  g_autofree char *dir = g_build_filename(images, name, NULL);
  g_autofree char *rootfs = g_build_filename(dir, "rootfs", NULL);
  g_autofree char *info_path = g_build_filename(dir, "info", NULL);
  g_autoptr(GKeyFile) info = g_key_file_new();
  g_autofree char *info_text = NULL;
  gsize info_len;
  if (!hutch_read_file(info_path, 1 << 20, &info_text, &info_len, NULL) ||
      !g_key_file_load_from_data(info, info_text, info_len, G_KEY_FILE_NONE, NULL))
    g_clear_pointer(&info, g_key_file_unref);
  g_autofree char *size = size_text(hutch_image_size(rootfs));
  g_autofree char *created = created_text(info, dir);
  g_autofree char *distro = hutch_image_distro(rootfs);
  g_autofree char *arch = info ? g_key_file_get_string(info, "Image", "Arch", NULL) : NULL;
  /* The distribution's name and arch come from the image's own files. */
  hutch_print_line(stdout, "%-*s  %10s  %-16s  %s%s%s%s", width, name, size, created,
                   distro ? distro : "unknown", arch ? " (" : "", arch ? arch : "",
                   arch ? ")" : "");
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
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
  g_autofree char *images = hutch_images_dir();
  g_autoptr(GDir) dir = g_dir_open(images, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  const char *name;
  while (dir && (name = g_dir_read_name(dir))) {
    g_autofree char *rootfs = g_build_filename(images, name, "rootfs", NULL);
    if (hutch_image_name_check(name, NULL) && g_file_test(rootfs, G_FILE_TEST_IS_DIR))
      g_ptr_array_add(names, g_strdup(name));
  }
  g_ptr_array_sort(names, compare_names);
  int width = 20;
  for (guint i = 0; i < names->len; i++)
    width = MAX(width, (int)strlen(names->pdata[i]));
  hutch_print_line(stdout, "%-*s  %10s  %-16s  %s", width, "NAME", "SIZE", "CREATED", "DISTRO");
  for (guint i = 0; i < names->len; i++)
    print_image(images, names->pdata[i], width);
  return 0;
}

static gboolean
refuse_in_use(const char *name, GError **error)
{
  g_autoptr(GPtrArray) users = hutch_image_users(name);
  g_ptr_array_add(users, NULL);
  g_autofree char *list = g_strjoinv(", ", (char **)users->pdata);
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_FAILED, "image %s is in use%s%s; stop %s first", name,
              *list ? " by sandbox " : "", list,
              users->len > 2 ? "them"
              : *list        ? "it"
                             : "the sandboxes running it");
  return FALSE;
}

/* The processes of a builder hold its lock until the last of them is
 * gone, which after a SIGKILL of hutch takes a moment. */
static gboolean
lock_soon(int fd)
{
  for (int i = 0; i < 20; i++) {
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
      return TRUE;
    g_usleep(100 * 1000);
  }
  return FALSE;
}

/* A create or destroy that was killed leaves NAME.partial or .NAME.destroy;
 * they are removed once nobody holds their lock. */
static gboolean
remove_leftover(const HutchIdMap *map, const char *name, const char *path, gboolean *removed,
                GError **error)
{
  *removed = FALSE;
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return TRUE;
  if (!lock_soon(fd)) {
    close(fd);
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_FAILED,
                "a 'hutch create' or 'hutch destroy' of %s is running (%s is in use); let it "
                "finish or stop it first",
                name, path);
    return FALSE;
  }
  gboolean ok = hutch_userns_remove(map, path, error);
  close(fd);
  *removed = ok;
  return ok;
}

static gboolean
destroy_image(const char *name, GError **error)
{
  if (!hutch_image_name_check(name, error))
    return FALSE;
  g_auto(HutchIdMap) map = {0};
  if (!hutch_userns_idmap(&map, "hutch destroy", error))
    return FALSE;
  g_autofree char *dir = hutch_image_dir(name);
  g_autofree char *partial = g_strconcat(dir, ".partial", NULL);
  g_autofree char *images = hutch_images_dir();
  g_autofree char *doomed_name = g_strdup_printf(".%s.destroy", name);
  g_autofree char *doomed = g_build_filename(images, doomed_name, NULL);
  gboolean removed_partial = FALSE, removed_doomed = FALSE;
  if (!remove_leftover(&map, name, doomed, &removed_doomed, error))
    return FALSE;
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    if (!remove_leftover(&map, name, partial, &removed_partial, error))
      return FALSE;
    if (removed_partial || removed_doomed) {
      g_printerr("hutch destroy: removed what an interrupted create or destroy of %s left\n", name);
      return TRUE;
    }
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_NOT_FOUND,
                "no image '%s' ('hutch images' lists them)", name);
    return FALSE;
  }
  /* Every sandbox running the image holds a shared lock on it. */
  if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
    close(fd);
    return refuse_in_use(name, error);
  }
  /* Out of the name first: a half-removed tree never shows as an image. */
  gboolean ok = TRUE;
  if (rename(dir, doomed) < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot rename %s: %s", dir,
                g_strerror(errno));
    ok = FALSE;
  }
  ok = ok && hutch_userns_remove(&map, doomed, error);
  close(fd);
  if (ok)
    g_printerr("hutch destroy: image %s removed\n", name);
  return ok;
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
  return destroy_image(argv[1], error) ? 0 : -1;
}
