/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "image.h"
#include "error.h"
#include "file-read.h"
#include "paths.h"
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>

char *
hutch_images_dir(void)
{
  g_autofree char *data = hutch_user_data_dir();
  return g_build_filename(data, "images", NULL);
}

gboolean
hutch_image_name_check(const char *name, GError **error)
{
  gboolean ok =
      name && *name && name[0] != '.' && strlen(name) <= 64 && !g_str_has_suffix(name, ".partial");
  for (const char *p = name; ok && *p; p++)
    ok = g_ascii_isalnum(*p) || strchr("._-", *p);
  if (!ok)
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "'%s' is not an image name: use up to 64 letters, digits, '.', '_' and '-', "
                "not starting with '.'",
                name ? name : "");
  return ok;
}

char *
hutch_image_dir(const char *name)
{
  g_autofree char *images = hutch_images_dir();
  return g_build_filename(images, name, NULL);
}

char *
hutch_image_resolve(const char *image, char **store_dir, GError **error)
{
  *store_dir = NULL;
  if (strchr(image, '/')) {
    if (!g_path_is_absolute(image) || !g_file_test(image, G_FILE_TEST_IS_DIR)) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_NOT_FOUND,
                  "--image %s: not a directory (give an image NAME, or an absolute path to a "
                  "root filesystem)",
                  image);
      return NULL;
    }
    return realpath(image, NULL);
  }
  if (!hutch_image_name_check(image, error))
    return NULL;
  g_autofree char *dir = hutch_image_dir(image);
  g_autofree char *rootfs = g_build_filename(dir, "rootfs", NULL);
  if (!g_file_test(rootfs, G_FILE_TEST_IS_DIR)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_NOT_FOUND,
                "no image '%s' ('hutch images' lists them; 'hutch create %s --template debian' "
                "makes one)",
                image, image);
    return NULL;
  }
  *store_dir = g_steal_pointer(&dir);
  return realpath(rootfs, NULL);
}

/* An O_PATH fd: nothing of the image is opened for reading (nor a
 * device's open run) before its type is known. */
static int
open_in_root(const char *rootfs, const char *path)
{
  int root = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0)
    return -1;
  struct open_how how = {
      .flags = O_PATH | O_CLOEXEC,
      .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
  };
  int fd = (int)syscall(SYS_openat2, root, path, &how, sizeof(how));
  if (fd < 0 && errno == ENOSYS) /* old kernel: no symlinks followed at all */
    fd = openat(root, path, O_PATH | O_CLOEXEC | O_NOFOLLOW);
  int e = errno;
  close(root);
  errno = e;
  return fd;
}

/* Files hutch reads from an image (passwd, group, os-release) are small. */
#define IMAGE_FILE_MAX (4 << 20)

char *
hutch_image_read(const char *rootfs, const char *path, GError **error)
{
  int fd = open_in_root(rootfs, path);
  if (fd < 0)
    return NULL;
  g_autofree char *shown = g_build_filename("/", path, NULL);
  char *text = NULL;
  gboolean ok = hutch_read_fd(fd, shown, IMAGE_FILE_MAX, &text, NULL, error);
  close(fd);
  if (!ok)
    g_prefix_error(error, "image %s: ", rootfs);
  return ok ? text : NULL;
}

gboolean
hutch_image_has_file(const char *rootfs, const char *path)
{
  int fd = open_in_root(rootfs, path);
  struct stat st;
  gboolean regular = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (fd >= 0)
    close(fd);
  return regular;
}

static char *
os_release_field(const char *text, const char *key)
{
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  g_autofree char *prefix = g_strconcat(key, "=", NULL);
  for (char **l = lines; *l; l++) {
    if (!g_str_has_prefix(*l, prefix))
      continue;
    char *value = *l + strlen(prefix);
    char *unquoted = g_shell_unquote(value, NULL);
    return unquoted ? unquoted : g_strdup(value);
  }
  return NULL;
}

char *
hutch_image_distro(const char *rootfs)
{
  /* Only a name to show: an os-release that cannot be read is no name. */
  g_autofree char *text = hutch_image_read(rootfs, "etc/os-release", NULL);
  if (!text)
    text = hutch_image_read(rootfs, "usr/lib/os-release", NULL);
  if (!text)
    return NULL;
  char *pretty = os_release_field(text, "PRETTY_NAME");
  return pretty ? pretty : os_release_field(text, "NAME");
}

/* nftw has no user data: the walks below keep theirs here. */
static struct {
  guint64 bytes;
  GHashTable *seen; /* "dev:ino" of files with several links */
  gint64 uid[2], gid[2];
} walk;

static int
add_size(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  if (st->st_nlink > 1 && !S_ISDIR(st->st_mode)) {
    char *key = g_strdup_printf("%lu:%lu", (unsigned long)st->st_dev, (unsigned long)st->st_ino);
    if (!g_hash_table_add(walk.seen, key))
      return 0;
  }
  walk.bytes += (guint64)st->st_blocks * 512;
  return 0;
}

guint64
hutch_image_size(const char *rootfs)
{
  walk.bytes = 0;
  walk.seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  nftw(rootfs, add_size, 32, FTW_PHYS | FTW_MOUNT);
  g_clear_pointer(&walk.seen, g_hash_table_unref);
  return walk.bytes;
}

static gboolean
note_id(gint64 *ids, gint64 id)
{
  if (ids[0] < 0 || ids[0] == id) {
    ids[0] = id;
    return FALSE;
  }
  ids[1] = id;
  return TRUE;
}

static int
check_owner(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  if (flag == FTW_NS)
    return 0;
  return note_id(walk.uid, st->st_uid) || note_id(walk.gid, st->st_gid);
}

gboolean
hutch_image_has_several_owners(const char *rootfs, char **first, char **second)
{
  walk.uid[0] = walk.uid[1] = walk.gid[0] = walk.gid[1] = -1;
  if (nftw(rootfs, check_owner, 32, FTW_PHYS | FTW_MOUNT) <= 0)
    return FALSE;
  const char *what = walk.uid[1] >= 0 ? "uid" : "gid";
  gint64 *ids = walk.uid[1] >= 0 ? walk.uid : walk.gid;
  *first = g_strdup_printf("%s %" G_GINT64_FORMAT, what, ids[0]);
  *second = g_strdup_printf("%s %" G_GINT64_FORMAT, what, ids[1]);
  return TRUE;
}

/* A running sandbox holds a shared lock on its marker; a killed one left
 * the file behind unlocked. */
static gboolean
marker_held(const char *marker)
{
  int fd = open(marker, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return FALSE;
  gboolean held = flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK;
  close(fd);
  return held;
}

GPtrArray *
hutch_image_users(const char *image)
{
  GPtrArray *users = g_ptr_array_new_with_free_func(g_free);
  const char *root = hutch_runtime_root(NULL);
  g_autoptr(GDir) dir = root ? g_dir_open(root, 0, NULL) : NULL;
  const char *name;
  while (dir && (name = g_dir_read_name(dir))) {
    g_autofree char *marker = g_build_filename(root, name, HUTCH_IMAGE_MARKER, NULL);
    g_autofree char *text = NULL;
    if (hutch_read_file(marker, 4096, &text, NULL, NULL) && g_str_equal(g_strchomp(text), image) &&
        marker_held(marker))
      g_ptr_array_add(users, g_strdup(name));
  }
  return users;
}
