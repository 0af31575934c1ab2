/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "file-read.h"
#include "error.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

const char *
hutch_file_type_name(mode_t mode)
{
  switch (mode & S_IFMT) {
  case S_IFREG:
    return "a regular file";
  case S_IFDIR:
    return "a directory";
  case S_IFIFO:
    return "a FIFO";
  case S_IFSOCK:
    return "a socket";
  case S_IFCHR:
    return "a character device";
  case S_IFBLK:
    return "a block device";
  case S_IFLNK:
    return "a symlink";
  }
  return "not a file";
}

static gboolean
not_regular(const char *path, mode_t mode, GError **error)
{
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "%s is %s where a regular file is expected; hutch does not read it", path,
              hutch_file_type_name(mode));
  return FALSE;
}

static gboolean
errno_error(const char *path, int e, GError **error)
{
  g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "%s: %s", path, g_strerror(e));
  return FALSE;
}

static gboolean
read_all(int fd, const char *path, gsize max, GString *text, GError **error)
{
  char buf[8192];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return errno_error(path, errno, error);
    if (n == 0)
      return TRUE;
    if (text->len + (gsize)n > max) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                  "%s is larger than %" G_GSIZE_FORMAT " bytes", path, max);
      return FALSE;
    }
    g_string_append_len(text, buf, n);
  }
}

/* FD may be an O_PATH fd: its type is checked before anything opens it for
 * reading, so not even a device's open runs (a symlink may point at one).
 * The reading fd is a new open of the very inode checked. */
gboolean
hutch_read_fd(int fd, const char *path, gsize max, char **contents, gsize *length, GError **error)
{
  struct stat st;
  if (fstat(fd, &st) < 0)
    return errno_error(path, errno, error);
  if (!S_ISREG(st.st_mode))
    return not_regular(path, st.st_mode, error);
  char self[64];
  g_snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
  int rfd = open(self, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (rfd < 0)
    return errno_error(path, errno, error);
  GString *text = g_string_sized_new(MIN((gsize)st.st_size, max) + 1);
  gboolean ok = read_all(rfd, path, max, text, error);
  close(rfd);
  if (!ok) {
    g_string_free(text, TRUE);
    return FALSE;
  }
  if (length)
    *length = text->len;
  *contents = g_string_free(text, FALSE);
  return TRUE;
}

gboolean
hutch_read_file(const char *path, gsize max, char **contents, gsize *length, GError **error)
{
  int fd = open(path, O_PATH | O_CLOEXEC);
  if (fd < 0)
    return errno_error(path, errno, error);
  gboolean ok = hutch_read_fd(fd, path, max, contents, length, error);
  close(fd);
  return ok;
}

gboolean
hutch_check_regular_or_absent(const char *path, GError **error)
{
  struct stat st;
  if (stat(path, &st) < 0 || S_ISREG(st.st_mode))
    return TRUE;
  return not_regular(path, st.st_mode, error);
}
