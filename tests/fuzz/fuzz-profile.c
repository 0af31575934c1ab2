/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target for the profile parser and resolver: the scanner,
 * GKeyFile, every key's value checks, includes (with loops and diamonds) and
 * `profile show`. The input is a profile; after a line "%%" comes the text
 * of f.inc, which the profile (or f.inc itself) may include. Built with
 * -Dfuzz=true and clang; see tests/profiles/test-fuzz.sh. */
#include "profile.h"
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *dir;
static char *profile_path;
static char *include_path;

static void
remove_dir(void)
{
  g_unlink(profile_path);
  g_unlink(include_path);
  g_rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
  dir = g_dir_make_tmp("hutch-fuzz-XXXXXX", NULL);
  if (!dir)
    abort();
  profile_path = g_build_filename(dir, "p.profile", NULL);
  include_path = g_build_filename(dir, "f.inc", NULL);
  atexit(remove_dir);
  return 0;
}

static void
write_file(const char *path, const uint8_t *data, size_t len)
{
  if (!g_file_set_contents(path, (const char *)data, len, NULL))
    abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const char sep[] = "\n%%\n";
  const uint8_t *split = memmem(data, size, sep, strlen(sep));
  size_t profile_len = split ? (size_t)(split - data) : size;
  const uint8_t *inc = split ? split + strlen(sep) : data + size;
  write_file(profile_path, data, profile_len);
  write_file(include_path, inc, data + size - inc);

  char *search[] = {dir, NULL};
  g_autoptr(HutchProfileLoader) loader = hutch_profile_loader_new(search);
  g_autoptr(HutchPolicy) policy = hutch_policy_new();
  /* Half the time straight from memory, half from the file, as run does. */
  if (size & 1)
    hutch_profile_loader_apply_file(loader, policy, profile_path, (const char *)data, profile_len);
  else
    hutch_profile_loader_apply_file(loader, policy, profile_path, NULL, 0);
  GPtrArray *errors = hutch_profile_loader_errors(loader);
  for (guint i = 0; i < errors->len; i++)
    if (!g_str_has_prefix(errors->pdata[i], dir))
      abort(); /* every message must start with the file it is about */
  g_autoptr(GString) out = g_string_new(NULL);
  hutch_profile_show(policy, out);
  return 0;
}
