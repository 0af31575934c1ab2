/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime-files.h"
#include "error.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *
hutch_runtime_file(HutchPlan *plan, const char *name)
{
  return plan->runtime_dir ? g_build_filename(plan->runtime_dir, name, NULL) : NULL;
}

gboolean
hutch_runtime_bind(HutchPlan *plan, const char *name, const char *sandbox_path, guint flags,
                   const char *why, GError **error)
{
  g_autofree char *path = hutch_runtime_file(plan, name);
  if (path)
    return hutch_plan_bind(plan, path, sandbox_path, flags, why, error);
  g_autofree char *shown = g_strdup_printf("$XDG_RUNTIME_DIR/hutch/%s/%s", plan->name, name);
  HutchOp *op = hutch_plan_add_op(plan, HUTCH_OP_BIND, shown, sandbox_path, why);
  op->flags = flags;
  return TRUE;
}

gboolean
hutch_runtime_write(HutchPlan *plan, const char *name, const char *contents, GError **error)
{
  g_autofree char *path = hutch_runtime_file(plan, name);
  g_return_val_if_fail(path != NULL, FALSE);
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot create %s: %s", path,
                g_strerror(errno));
    return FALSE;
  }
  gsize len = strlen(contents);
  ssize_t n = write(fd, contents, len);
  int err = n < 0 ? errno : EIO;
  if (close(fd) < 0 && n == (ssize_t)len) {
    n = -1;
    err = errno;
  }
  if (n != (ssize_t)len) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot write %s: %s", path, g_strerror(err));
    return FALSE;
  }
  return TRUE;
}

gboolean
hutch_runtime_mkdir(HutchPlan *plan, const char *name, GError **error)
{
  g_autofree char *path = hutch_runtime_file(plan, name);
  g_return_val_if_fail(path != NULL, FALSE);
  if (mkdir(path, 0700) < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot create %s: %s", path,
                g_strerror(errno));
    return FALSE;
  }
  return TRUE;
}
