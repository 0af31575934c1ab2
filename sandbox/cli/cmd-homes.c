/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch homes [list] | reset NAME | remove NAME: the per-app private homes
 * (home=private) in ~/.local/share/hutch/homes/NAME. */
#include "cmd-common.h"
#include "commands.h"
#include "error.h"
#include "names.h"
#include "paths.h"
#include "state.h"
#include "userns.h"
#include "util.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *
homes_dir(void)
{
  g_autofree char *data = hutch_user_data_dir();
  return g_build_filename(data, "homes", NULL);
}

/* Disk use of the tree at DIRFD, as du counts it (blocks, each inode once,
 * not crossing into other file systems). */
static guint64
disk_use(int dirfd, dev_t dev, GHashTable *seen)
{
  guint64 total = 0;
  DIR *d = fdopendir(dirfd);
  if (!d) {
    close(dirfd);
    return 0;
  }
  struct dirent *e;
  while ((e = readdir(d))) {
    if (g_str_equal(e->d_name, ".") || g_str_equal(e->d_name, ".."))
      continue;
    struct stat st;
    if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || st.st_dev != dev)
      continue;
    guint64 key = (guint64)st.st_ino;
    if (st.st_nlink > 1 && !g_hash_table_add(seen, g_memdup2(&key, sizeof(key))))
      continue;
    total += (guint64)st.st_blocks * 512;
    if (S_ISDIR(st.st_mode)) {
      int sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub >= 0)
        total += disk_use(sub, dev, seen);
    }
  }
  closedir(d);
  return total;
}

static guint64
home_size(const char *path)
{
  struct stat st;
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 || fstat(fd, &st) < 0) {
    if (fd >= 0)
      close(fd);
    return 0;
  }
  g_autoptr(GHashTable) seen = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  return (guint64)st.st_blocks * 512 + disk_use(fd, st.st_dev, seen);
}

/* The running sandbox that has NAME's home, or NULL. */
static HutchState *
user_of(const char *name)
{
  g_autoptr(GPtrArray) states = hutch_state_list();
  for (guint i = 0; i < states->len; i++) {
    HutchState *st = states->pdata[i];
    g_autofree char *base = g_strdup(st->name);
    char *dash = strrchr(base, '-');
    if (dash && dash[1] && strspn(dash + 1, "0123456789") == strlen(dash + 1))
      *dash = '\0'; /* name-2: a second sandbox of the same app */
    if (g_strcmp0(st->profile, name) == 0 || g_str_equal(base, name))
      return g_ptr_array_steal_index(states, i);
  }
  return NULL;
}

static gint
by_name(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
list_homes(void)
{
  g_autofree char *dir = homes_dir();
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  const char *name;
  while (d && (name = g_dir_read_name(d)))
    g_ptr_array_add(names, g_strdup(name));
  g_ptr_array_sort(names, by_name);
  if (!names->len) {
    printf("no private homes in %s\n", dir);
    return 0;
  }
  printf("%-24s %10s  %-8s %s\n", "NAME", "SIZE", "IN USE", "PATH");
  for (guint i = 0; i < names->len; i++) {
    const char *n = names->pdata[i];
    g_autofree char *path = g_build_filename(dir, n, NULL);
    g_autofree char *size = hutch_format_size(home_size(path));
    g_autoptr(HutchState) st = user_of(n);
    printf("%-24s %10s  %-8s %s\n", n, size, st ? st->name : "-", path);
  }
  return 0;
}

/* Files an app made as another id inside (a subordinate one) cannot be
 * removed by the user directly: remove them as root of a user namespace
 * with the user's ranges, as hutch destroy does with images. */
static gboolean
remove_tree(const char *path, GError **error)
{
  hutch_rm_rf(path);
  if (!g_file_test(path, G_FILE_TEST_EXISTS))
    return TRUE;
  g_auto(HutchIdMap) map = {0};
  if (!hutch_userns_idmap(&map, "removing files an app made under other ids", error))
    return FALSE;
  return hutch_userns_remove(&map, path, error);
}

static int
change_home(const char *verb, const char *name, GError **error)
{
  if (!hutch_name_check(name, error))
    return -1;
  g_autofree char *dir = homes_dir();
  g_autofree char *path = g_build_filename(dir, name, NULL);
  if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_NOT_FOUND,
                "homes: no private home named '%s' (see 'hutch homes')", name);
    return -1;
  }
  g_autoptr(HutchState) st = user_of(name);
  if (st) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_FAILED,
                "homes: the home %s is in use by sandbox %s; stop it first", name, st->name);
    return -1;
  }
  if (!remove_tree(path, error))
    return -1;
  /* reset: empty, as the app's first run finds it. */
  if (g_str_equal(verb, "reset") && mkdir(path, 0700) < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_FAILED, "homes: cannot make %s again: %s", path,
                g_strerror(errno));
    return -1;
  }
  printf("%s: %s\n", name, g_str_equal(verb, "reset") ? "emptied" : "removed");
  return 0;
}

int
hutch_cmd_homes(int argc, char **argv, GError **error)
{
  if (!hutch_cmd_parse("[list] | reset NAME | remove NAME",
                       "List the apps' private homes (home=private) with their sizes, or empty "
                       "one (reset) or remove it.",
                       NULL, &argc, &argv, error))
    return -1;
  if (argc == 1 || (argc == 2 && g_str_equal(argv[1], "list")))
    return list_homes();
  if (argc == 3 && (g_str_equal(argv[1], "reset") || g_str_equal(argv[1], "remove")))
    return change_home(argv[1], argv[2], error);
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
              "usage: hutch homes [list] | reset NAME | remove NAME");
  return -1;
}
