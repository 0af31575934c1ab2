/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch-panel: the program `hutch panel` execs (cli/cmd-panel.c), so that
 * libsoup is loaded by the panel and never by a launch. Like cli/main.c,
 * this is the one place where its errors become a message and an exit
 * status. */
#include "cleanup-handlers.h"
#include "error.h"
#include "panel-jobs.h"
#include "panel.h"
#include "paths.h"
#include "state.h"
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_IDLE_S 900

typedef struct {
  int port;
  gboolean no_browser;
  int idle_timeout;
  char *hutch;
} Options;

static gboolean
parse_options(Options *o, int *argc, char ***argv, GError **error)
{
  GOptionEntry entries[] = {
      {"port", 'p', 0, G_OPTION_ARG_INT, &o->port,
       "Listen on 127.0.0.1:PORT (default: a free port)", "PORT"},
      {"no-browser", 0, 0, G_OPTION_ARG_NONE, &o->no_browser,
       "Only print the address; do not open a browser", NULL},
      {"idle-timeout", 0, 0, G_OPTION_ARG_INT, &o->idle_timeout,
       "Stop after S seconds without a request or an open page (default 900; 0: never)", "S"},
      {"hutch", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &o->hutch,
       "The hutch binary (given by hutch panel)", "PATH"},
      {NULL},
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);
  g_option_context_set_summary(ctx, "Serve a web panel of your sandboxes, profiles and images "
                                    "on 127.0.0.1, for this user only.");
  g_option_context_add_main_entries(ctx, entries, NULL);
  gboolean ok = g_option_context_parse(ctx, argc, argv, error);
  const char *problem = NULL;
  if (ok && *argc > 1)
    problem = "takes no arguments (see hutch panel --help)";
  else if (ok && (o->port < 0 || o->port > 65535))
    problem = "--port: use a port from 1 to 65535, or leave it out for a free one";
  else if (ok && o->idle_timeout < 0)
    problem = "--idle-timeout: use a number of seconds, 0 for never";
  else if (ok && !o->hutch)
    problem = "start it as 'hutch panel'";
  if (problem)
    g_set_error_literal(error, HUTCH_ERROR, HUTCH_ERROR_USAGE, problem);
  if (ok && !problem)
    return TRUE;
  (*error)->domain = HUTCH_ERROR;
  (*error)->code = HUTCH_ERROR_USAGE;
  g_prefix_error(error, "panel: ");
  return FALSE;
}

/* --- the browser -------------------------------------------------------- */

/* The browser gets the login URL from a page in the user's private runtime
 * directory rather than on its command line, where any local user could
 * read it (as Jupyter does); the page goes once the secret is used. */
static char *
write_redirect(HutchPanel *panel, const char *url)
{
  g_autofree char *name = g_strdup_printf("hutch-panel-%u.html", panel->port);
  char *path = g_build_filename(g_get_user_runtime_dir(), name, NULL);
  g_autofree char *page = g_strdup_printf(
      "<!DOCTYPE html>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"refresh\" "
      "content=\"0;url=%s\">\n<title>hutch panel</title>\n<p><a href=\"%s\">Open the hutch "
      "panel</a></p>\n",
      url, url);
  int fd = g_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  gboolean ok = fd >= 0 && write(fd, page, strlen(page)) == (ssize_t)strlen(page);
  if (fd >= 0)
    close(fd);
  if (!ok) {
    g_unlink(path);
    g_free(path);
    return NULL;
  }
  return path;
}

static void
open_browser(HutchPanel *panel, const char *url)
{
  panel->redirect_file = write_redirect(panel, url);
  const char *argv[] = {"xdg-open", panel->redirect_file ? panel->redirect_file : url, NULL};
  g_autoptr(GError) error = NULL;
  if (!g_spawn_async(NULL, (char **)argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, &error))
    g_printerr("hutch panel: cannot open a browser (%s); open the address above\n", error->message);
}

/* --- running and stopping ----------------------------------------------- */

static gboolean
on_signal(gpointer data)
{
  HutchPanel *panel = data;
  if (panel->stopping) {
    g_printerr("hutch panel: stopping now\n");
    _exit(130);
  }
  g_print("\nhutch panel: stopping\n");
  g_main_loop_quit(panel->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
check_idle(gpointer data)
{
  HutchPanel *panel = data;
  gint64 idle_us = g_get_monotonic_time() - panel->last_activity;
  if (panel->idle_timeout_s && !panel->streams && !panel->busy &&
      idle_us >= (gint64)panel->idle_timeout_s * G_USEC_PER_SEC) {
    g_print("hutch panel: unused for %u seconds; stopping\n", panel->idle_timeout_s);
    g_main_loop_quit(panel->loop);
  }
  return G_SOURCE_CONTINUE;
}

/* No new connection, every build cancelled and waited for, every paused
 * request answered. */
static void
wind_down(HutchPanel *panel)
{
  panel->stopping = TRUE;
  g_socket_service_stop(panel->service);
  g_socket_listener_close(G_SOCKET_LISTENER(panel->service));
  hutch_panel_jobs_cancel_all(panel);
  while (panel->busy)
    g_main_context_iteration(NULL, TRUE);
  soup_server_disconnect(panel->server);
}

static void
panel_free(HutchPanel *panel)
{
  if (panel->redirect_file)
    g_unlink(panel->redirect_file);
  g_clear_object(&panel->server);
  g_clear_object(&panel->service);
  g_clear_pointer(&panel->loop, g_main_loop_unref);
  g_clear_pointer(&panel->jobs, g_hash_table_unref);
  g_clear_pointer(&panel->table_streams, g_ptr_array_unref);
  g_clear_handle_id(&panel->table_tick, g_source_remove);
  g_clear_handle_id(&panel->table_soon, g_source_remove);
  g_free(panel->redirect_file);
  g_free(panel->host);
  g_free(panel->origin);
  g_free(panel->cookie_name);
  g_free(panel->secret);
  g_free(panel->session);
  g_free(panel->csrf);
  g_free(panel->hutch);
  g_free(panel);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HutchPanel, panel_free)

static int
run(int argc, char **argv, GError **error)
{
  Options o = {.idle_timeout = DEFAULT_IDLE_S};
  if (!parse_options(&o, &argc, &argv, error)) {
    g_free(o.hutch);
    return -1;
  }
  g_autoptr(HutchPanel) panel = g_new0(HutchPanel, 1);
  panel->hutch = o.hutch;
  panel->idle_timeout_s = (guint)o.idle_timeout;
  panel->table_streams = g_ptr_array_new();
  panel->jobs =
      g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)hutch_panel_job_free);
  panel->loop = g_main_loop_new(NULL, FALSE);
  /* Before any thread: the runtime root is found once, here. */
  if (!hutch_runtime_root(error) || !hutch_panel_session_init(panel, error) ||
      !hutch_panel_listen(panel, (guint)o.port, error))
    return -1;
  hutch_panel_note_activity(panel);
  g_autofree char *url = hutch_panel_login_url(panel);
  g_print("hutch panel: serving http://127.0.0.1:%u/ for uid %u (Ctrl-C stops it)\n", panel->port,
          (unsigned)getuid());
  g_print("hutch panel: log in once with %s\n", url);
  fflush(stdout);
  if (!o.no_browser)
    open_browser(panel, url);
  int sigs[] = {SIGINT, SIGTERM, SIGHUP};
  for (gsize i = 0; i < G_N_ELEMENTS(sigs); i++)
    g_unix_signal_add(sigs[i], on_signal, panel);
  g_timeout_add_seconds(1, check_idle, panel);
  g_main_loop_run(panel->loop);
  wind_down(panel);
  g_print("hutch panel: stopped\n");
  return 0;
}

int
main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  g_set_prgname("hutch panel");
  hutch_state_set_cleanup_handlers(hutch_cleanup_handlers);
  g_autoptr(GError) error = NULL;
  int status = run(argc, argv, &error);
  if (status >= 0)
    return status;
  hutch_print_error(error);
  return hutch_exit_status(error, HUTCH_EXIT_FAILED);
}
