/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "image-list.h"
#include "file-read.h"
#include "image.h"
#include <string.h>
#include <sys/stat.h>

void
hutch_image_entry_free(HutchImageEntry *e)
{
  if (!e)
    return;
  g_free(e->name);
  g_free(e->dir);
  if (e->created)
    g_date_time_unref(e->created);
  g_free(e->distro);
  g_free(e->arch);
  g_free(e);
}

static GDateTime *
created_time(GKeyFile *info, const char *dir)
{
  g_autofree char *iso = info ? g_key_file_get_string(info, "Image", "Created", NULL) : NULL;
  GDateTime *when = iso ? g_date_time_new_from_iso8601(iso, NULL) : NULL;
  struct stat st;
  if (!when && stat(dir, &st) == 0)
    when = g_date_time_new_from_unix_local(st.st_mtime);
  return when;
}

static HutchImageEntry *
read_entry(const char *images, const char *name)
{
  HutchImageEntry *e = g_new0(HutchImageEntry, 1);
  e->name = g_strdup(name);
  e->dir = g_build_filename(images, name, NULL);
  g_autofree char *rootfs = g_build_filename(e->dir, "rootfs", NULL);
  g_autofree char *info_path = g_build_filename(e->dir, "info", NULL);
  g_autoptr(GKeyFile) info = g_key_file_new();
  /* The image's files are the sandbox's to change: read without blocking,
   * and only a regular file (file-read.h). */
  g_autofree char *info_text = NULL;
  gsize info_len;
  if (!hutch_read_file(info_path, 1 << 20, &info_text, &info_len, NULL) ||
      !g_key_file_load_from_data(info, info_text, info_len, G_KEY_FILE_NONE, NULL))
    g_clear_pointer(&info, g_key_file_unref);
  e->size = hutch_image_size(rootfs);
  e->created = created_time(info, e->dir);
  e->distro = hutch_image_distro(rootfs);
  e->arch = info ? g_key_file_get_string(info, "Image", "Arch", NULL) : NULL;
  return e;
}

static gint
by_name(gconstpointer a, gconstpointer b)
{
  const HutchImageEntry *ea = *(HutchImageEntry *const *)a, *eb = *(HutchImageEntry *const *)b;
  return strcmp(ea->name, eb->name);
}

GPtrArray *
hutch_image_list(void)
{
  GPtrArray *list = g_ptr_array_new_with_free_func((GDestroyNotify)hutch_image_entry_free);
  g_autofree char *images = hutch_images_dir();
  g_autoptr(GDir) dir = g_dir_open(images, 0, NULL);
  const char *name;
  while (dir && (name = g_dir_read_name(dir))) {
    g_autofree char *rootfs = g_build_filename(images, name, "rootfs", NULL);
    if (hutch_image_name_check(name, NULL) && g_file_test(rootfs, G_FILE_TEST_IS_DIR))
      g_ptr_array_add(list, read_entry(images, name));
  }
  g_ptr_array_sort(list, by_name);
  return list;
}
