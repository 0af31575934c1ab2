/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "atomic-file.h"
#include "error.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static gboolean
write_all(int fd, const char *data, gsize len)
{
  while (len) {
    ssize_t n = write(fd, data, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return FALSE;
    data += n;
    len -= (gsize)n;
  }
  return TRUE;
}

gboolean
hutch_file_replace(const char *path, const void *data, gsize len, int mode, GError **error)
{
  g_autofree char *tmp = g_strdup_printf("%s.new-%d", path, (int)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot create %s: %s", tmp,
                g_strerror(errno));
    return FALSE;
  }
  gboolean ok = write_all(fd, data, len);
  int err = errno;
  ok = close(fd) == 0 && ok;
  if (ok && rename(tmp, path) == 0)
    return TRUE;
  err = ok ? errno : err;
  unlink(tmp);
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot write %s: %s", path, g_strerror(err));
  return FALSE;
}
