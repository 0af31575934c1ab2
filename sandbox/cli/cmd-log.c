/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch log [NAME]: what launches without a terminal could not print. */
#include "cmd-common.h"
#include "commands.h"
#include "detach.h"
#include "error.h"
#include "launch-log.h"
#include "names.h"
#include <stdio.h>
#include <string.h>

/* LINE mentions NAME as a word of the command line. */
static gboolean
mentions(const char *line, const char *name)
{
  gsize len = strlen(name);
  for (const char *p = strstr(line, name); p; p = strstr(p + 1, name)) {
    gboolean start = p == line || strchr(" '/-", p[-1]);
    gboolean end = !p[len] || strchr(" ':", p[len]);
    if (start && end)
      return TRUE;
  }
  return FALSE;
}

static void
print_failures(const char *name)
{
  g_autofree char *path = hutch_launch_log_path();
  g_autofree char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, NULL)) {
    printf("no failed launches (%s is empty)\n", path);
    return;
  }
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  guint shown = 0;
  for (char **l = lines; *l; l++)
    if (**l && (!name || mentions(*l, name))) {
      printf("%s\n", *l);
      shown++;
    }
  if (!shown)
    printf("no failed launches%s%s in %s\n", name ? " of " : "", name ? name : "", path);
}

static gboolean
print_output(const char *name, GError **error)
{
  if (!hutch_name_check(name, error))
    return FALSE;
  g_autofree char *path = hutch_detach_log_path(name);
  g_autofree char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, NULL))
    return TRUE;
  printf("\n--- output of the detached sandbox %s (%s) ---\n", name, path);
  fputs(text, stdout);
  return TRUE;
}

int
hutch_cmd_log(int argc, char **argv, GError **error)
{
  if (!hutch_cmd_parse("[NAME]",
                       "Show the launches that failed (all, or NAME's), and the output of the "
                       "detached sandbox NAME.",
                       NULL, &argc, &argv, error))
    return -1;
  if (argc > 2) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE, "log: give at most one NAME");
    return -1;
  }
  const char *name = argc == 2 ? argv[1] : NULL;
  print_failures(name);
  return name && !print_output(name, error) ? -1 : 0;
}
