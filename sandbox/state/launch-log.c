/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "launch-log.h"
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

char *
hutch_launch_log_path(void)
{
  return g_build_filename(g_get_user_state_dir(), "hutch", "launch.log", NULL);
}

static char *
command_line(char **argv)
{
  g_autoptr(GString) s = g_string_new(NULL);
  for (char **a = argv; *a; a++) {
    gboolean plain = **a && strspn(*a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                       "0123456789-_./=:,+%@") == strlen(*a);
    g_autofree char *q = plain ? g_strdup(*a) : g_shell_quote(*a);
    g_string_append_printf(s, "%s%s", s->len ? " " : "", q);
  }
  return g_strescape(s->str, "\"");
}

void
hutch_launch_log_failure(char **argv, const char *message)
{
  g_autofree char *path = hutch_launch_log_path();
  g_autofree char *dir = g_path_get_dirname(path);
  if (g_mkdir_with_parents(dir, 0700) < 0)
    return;
  int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return;
  g_autoptr(GDateTime) now = g_date_time_new_now_local();
  g_autofree char *when = g_date_time_format(now, "%Y-%m-%d %H:%M:%S");
  g_autofree char *cmd = command_line(argv);
  g_autofree char *msg = g_strescape(message, "\"");
  g_autofree char *line = g_strdup_printf("%s hutch %s: %s\n", when, cmd, msg);
  /* One write: concurrent launches append whole lines. */
  gssize n G_GNUC_UNUSED = write(fd, line, strlen(line));
  close(fd);
}

/* What the user launched, in a word: the profile, else the command. */
static char *
app_of(char **argv)
{
  for (char **a = argv + 1; *a; a++) {
    if (g_str_equal(*a, "--profile") && a[1])
      return g_path_get_basename(a[1]);
    if (g_str_has_prefix(*a, "--profile="))
      return g_path_get_basename(*a + strlen("--profile="));
  }
  for (char **a = argv + 1; *a; a++)
    if (g_str_equal(*a, "--"))
      return a[1] ? g_path_get_basename(a[1]) : g_strdup("an app");
  return g_strdup("an app");
}

gboolean
hutch_notify_failure(char **argv, const char *message)
{
  const char *bus = g_getenv("DBUS_SESSION_BUS_ADDRESS");
  g_autofree char *runtime_bus = g_getenv("XDG_RUNTIME_DIR")
                                     ? g_build_filename(g_getenv("XDG_RUNTIME_DIR"), "bus", NULL)
                                     : NULL;
  if ((!bus || !*bus) && !(runtime_bus && g_file_test(runtime_bus, G_FILE_TEST_EXISTS)))
    return FALSE;
  g_autofree char *gdbus = g_find_program_in_path("gdbus");
  g_autofree char *timeout = g_find_program_in_path("timeout");
  if (!gdbus || !timeout)
    return FALSE;
  g_autofree char *app = app_of(argv);
  g_autofree char *summary = g_strdup_printf("hutch could not start %s", app);
  g_autofree char *body = g_strdup_printf("%s\n(hutch log shows it again)", message);
  /* GVariant text, typed: gdbus reads a bare -1 as an option. */
  g_autoptr(GVariant) s = g_variant_ref_sink(g_variant_new_string(summary));
  g_autoptr(GVariant) b = g_variant_ref_sink(g_variant_new_string(body));
  g_autofree char *s_text = g_variant_print(s, FALSE);
  g_autofree char *b_text = g_variant_print(b, FALSE);
  char *cmd[] = {timeout,
                 "2",
                 gdbus,
                 "call",
                 "--session",
                 "--dest",
                 "org.freedesktop.Notifications",
                 "--object-path",
                 "/org/freedesktop/Notifications",
                 "--method",
                 "org.freedesktop.Notifications.Notify",
                 "'hutch'",
                 "uint32 0",
                 "'dialog-error'",
                 s_text,
                 b_text,
                 "@as []",
                 "@a{sv} {}",
                 "int32 -1",
                 NULL};
  int status = 1;
  if (!g_spawn_sync(NULL, cmd, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                    NULL, NULL, NULL, &status, NULL))
    return FALSE;
  return g_spawn_check_wait_status(status, NULL);
}
