/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "names.h"
#include "error.h"
#include <string.h>

#define NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"
/* Leave room for a "-NNNN" suffix within HUTCH_NAME_MAX. */
#define BASE_MAX (HUTCH_NAME_MAX - 8)

gboolean
hutch_name_valid(const char *name)
{
  gsize len = strlen(name);
  if (len == 0 || len > HUTCH_NAME_MAX || name[0] == '.' || name[0] == '-')
    return FALSE;
  return strspn(name, NAME_CHARS) == len;
}

gboolean
hutch_name_check(const char *name, GError **error)
{
  if (hutch_name_valid(name))
    return TRUE;
  g_autofree char *shown = g_strescape(name, NULL);
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
              "'%s' is not a valid sandbox name: use 1 to %d letters, digits, '.', '_' and '-', "
              "not starting with '.' or '-'",
              shown, HUTCH_NAME_MAX);
  return FALSE;
}

char *
hutch_name_base(const HutchPolicy *policy)
{
  g_autofree char *cmd = NULL;
  const char *base = policy->name_base ? policy->name_base : policy->profile_name;
  if (!base && policy->argv && policy->argv[0])
    base = cmd = g_path_get_basename(policy->argv[0]);
  char *clean = g_strdup(base ? base : "sandbox");
  g_strcanon(clean, NAME_CHARS, '_');
  if (strlen(clean) > BASE_MAX)
    clean[BASE_MAX] = '\0';
  if (clean[0] == '.' || clean[0] == '-')
    clean[0] = '_';
  if (!hutch_name_valid(clean)) {
    g_free(clean);
    clean = g_strdup("sandbox");
  }
  return clean;
}
