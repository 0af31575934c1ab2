/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "image-destroy.h"
#include "error.h"
#include "image.h"
#include "userns.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

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

gboolean
hutch_image_destroy(const char *name, gboolean *leftovers_only, GError **error)
{
  *leftovers_only = FALSE;
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
      *leftovers_only = TRUE;
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
  return ok;
}
