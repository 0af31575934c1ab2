/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "x11-xlib.h"
#include "error.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The X errors of the requests one thread is checking (Xlib has one
 * handler for the whole process). */
static __thread struct {
  Display *dpy;
  int code;
} trap;

static int
on_x_error(Display *dpy, XErrorEvent *ev)
{
  if (dpy == trap.dpy && !trap.code)
    trap.code = ev->error_code;
  return 0; /* never printed: every request that matters is checked */
}

/* A lost connection: its per-connection exit handler below marks it. */
static int
on_io_error(Display *dpy)
{
  return 0;
}

static void
on_io_exit(Display *dpy, void *data)
{
  HutchXConn *conn = data;
  conn->broken = TRUE; /* and return: Xlib's default here is exit(1) */
}

static void
on_io_exit_abandoned(Display *dpy, void *data)
{
}

static void
install_handlers(void)
{
  static gsize done;
  if (g_once_init_enter(&done)) {
    XSetErrorHandler(on_x_error);
    XSetIOErrorHandler(on_io_error);
    g_once_init_leave(&done, 1);
  }
}

Xauth *
hutch_x_user_cookie(const char *number)
{
  char host[256] = "";
  gethostname(host, sizeof(host) - 1);
  char *types[] = {(char *)HUTCH_X_COOKIE_NAME};
  int type_lens[] = {sizeof(HUTCH_X_COOKIE_NAME) - 1};
  return XauGetBestAuthByAddr(FamilyLocal, (unsigned short)strlen(host), host,
                              (unsigned short)strlen(number), number, 1, types, type_lens);
}

/* Guards ------------------------------------------------------------------ */

/* One watchdog thread per thread that guards its calls, made at its first
 * guard: a thread waits on one call at a time, so one deadline and one
 * socket is all it watches, and no guard costs a thread of its own. It is
 * made by the guarded thread, so it shares that thread's file descriptors
 * (x11-cookie.c's thread has its own). */
typedef struct {
  GMutex lock;
  GCond cond;
  int fd; /* a duplicate of the guarded socket, ours to shut down; -1: none */
  gint64 deadline;
  gboolean fired;
  gboolean quit;
  GThread *thread;
} Watchdog;

static __thread Watchdog *watchdog;

struct HutchXGuard {
  Watchdog *dog; /* NULL: unbounded (no thread or descriptor to spare) */
  char *name;
  char *doing;
};

static gpointer
watch(gpointer p)
{
  Watchdog *w = p;
  g_mutex_lock(&w->lock);
  while (!w->quit) {
    if (w->fd < 0 || w->fired)
      g_cond_wait(&w->cond, &w->lock);
    else if (!g_cond_wait_until(&w->cond, &w->lock, w->deadline) && w->fd >= 0 && !w->fired &&
             g_get_monotonic_time() >= w->deadline) {
      shutdown(w->fd, SHUT_RDWR);
      w->fired = TRUE;
    }
  }
  g_mutex_unlock(&w->lock);
  return NULL;
}

static Watchdog *
this_threads_watchdog(void)
{
  if (watchdog)
    return watchdog;
  Watchdog *w = g_new0(Watchdog, 1);
  g_mutex_init(&w->lock);
  g_cond_init(&w->cond);
  w->fd = -1;
  w->thread = g_thread_try_new("hutch-x-guard", watch, w, NULL);
  if (!w->thread) {
    g_mutex_clear(&w->lock);
    g_cond_clear(&w->cond);
    g_free(w);
    return NULL;
  }
  return watchdog = w;
}

void
hutch_x_watchdog_stop(void)
{
  Watchdog *w = g_steal_pointer(&watchdog);
  if (!w)
    return;
  g_mutex_lock(&w->lock);
  w->quit = TRUE;
  g_cond_signal(&w->cond);
  g_mutex_unlock(&w->lock);
  g_thread_join(w->thread);
  if (w->fd >= 0)
    close(w->fd);
  g_mutex_clear(&w->lock);
  g_cond_clear(&w->cond);
  g_free(w);
}

HutchXGuard *
hutch_x_guard_start(int fd, const char *name, const char *doing)
{
  HutchXGuard *g = g_new0(HutchXGuard, 1);
  g->name = g_strdup(name);
  g->doing = g_strdup(doing);
  Watchdog *w = this_threads_watchdog();
  int dup = w ? fcntl(fd, F_DUPFD_CLOEXEC, 3) : -1;
  if (dup < 0) /* the wait is unbounded, as any X client's is */
    return g;
  g_mutex_lock(&w->lock);
  w->fd = dup;
  w->deadline = g_get_monotonic_time() + HUTCH_X_TIMEOUT_S * G_USEC_PER_SEC;
  w->fired = FALSE;
  g_cond_signal(&w->cond);
  g_mutex_unlock(&w->lock);
  g->dog = w;
  return g;
}

gboolean
hutch_x_guard_end(HutchXGuard *g, GError **error)
{
  gboolean fired = FALSE;
  if (g->dog) {
    g_mutex_lock(&g->dog->lock);
    fired = g->dog->fired;
    close(g->dog->fd);
    g->dog->fd = -1;
    g->dog->fired = FALSE;
    g_mutex_unlock(&g->dog->lock);
  }
  if (fired)
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "x11: the X server at DISPLAY=%s did not answer %s within %d s (is it stopped or "
                "busy?)",
                g->name, g->doing, HUTCH_X_TIMEOUT_S);
  g_free(g->name);
  g_free(g->doing);
  g_free(g);
  return !fired;
}

/* Opening ----------------------------------------------------------------- */

/* XOpenDisplay on a thread of its own; whoever is last of the thread and
 * the waiter frees it. An abandoned connection is closed by the thread, if
 * it ever opens. */
typedef struct {
  gint refs;
  GMutex lock;
  GCond cond;
  char *name;
  Display *dpy;
  gboolean done;
  gboolean abandoned;
} OpenJob;

static void
open_job_unref(OpenJob *j)
{
  if (!g_atomic_int_dec_and_test(&j->refs))
    return;
  g_mutex_clear(&j->lock);
  g_cond_clear(&j->cond);
  g_free(j->name);
  g_free(j);
}

static gpointer
open_on_thread(gpointer p)
{
  OpenJob *j = p;
  Display *dpy = XOpenDisplay(j->name);
  g_mutex_lock(&j->lock);
  gboolean abandoned = j->abandoned;
  j->dpy = dpy;
  j->done = TRUE;
  g_cond_signal(&j->cond);
  g_mutex_unlock(&j->lock);
  if (abandoned && dpy) {
    XSetIOErrorExitHandler(dpy, on_io_exit_abandoned, NULL);
    XCloseDisplay(dpy);
  }
  open_job_unref(j);
  return NULL;
}

/* XOpenDisplay(NAME), waiting at most HUTCH_X_TIMEOUT_S; *TIMED_OUT says
 * whether it gave up. */
static Display *
open_bounded(const char *name, gboolean *timed_out)
{
  OpenJob *j = g_new0(OpenJob, 1);
  j->refs = 2;
  g_mutex_init(&j->lock);
  g_cond_init(&j->cond);
  j->name = g_strdup(name);
  GThread *t = g_thread_try_new("hutch-x-open", open_on_thread, j, NULL);
  if (!t) { /* no thread to be had: wait as any X client would */
    j->refs = 1;
    open_job_unref(j);
    *timed_out = FALSE;
    return XOpenDisplay(name);
  }
  gint64 deadline = g_get_monotonic_time() + HUTCH_X_TIMEOUT_S * G_USEC_PER_SEC;
  g_mutex_lock(&j->lock);
  while (!j->done && g_cond_wait_until(&j->cond, &j->lock, deadline))
    ;
  Display *dpy = j->done ? j->dpy : NULL;
  *timed_out = !j->done;
  j->abandoned = !j->done;
  g_mutex_unlock(&j->lock);
  open_job_unref(j);
  /* Done, the thread is about to return: wait for it, so no thread of
   * ours is still exiting later (LeakSanitizer's stop of every thread at
   * exit trips over one). Abandoned to a server that does not answer, it
   * is left to end on its own. */
  if (*timed_out)
    g_thread_unref(t);
  else
    g_thread_join(t);
  return dpy;
}

/* libxcb writes a server's refusal to fd 2 itself. While CAPTURE is
 * active, fd 2 is a pipe whose contents become the refusal's reason; one
 * capture at a time. */
typedef struct {
  int saved;   /* the real fd 2, or -1 if it was closed */
  int reading; /* the pipe's read end */
} Capture;

static GMutex capture_lock;

static void
capture_start(Capture *c)
{
  g_mutex_lock(&capture_lock);
  c->saved = -1;
  c->reading = -1;
  int p[2];
  if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
    return;
  fflush(stderr);
  c->saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
  if (dup2(p[1], STDERR_FILENO) < 0) {
    close(p[0]);
    p[0] = -1;
  }
  close(p[1]);
  c->reading = p[0];
}

/* Put fd 2 back; what was written to it meanwhile, made fit for one line. */
static char *
capture_end(Capture *c)
{
  if (c->saved >= 0) {
    dup2(c->saved, STDERR_FILENO);
    close(c->saved);
  } else if (c->reading >= 0) {
    close(STDERR_FILENO);
  }
  g_autoptr(GString) text = g_string_new(NULL);
  if (c->reading >= 0) {
    char buf[512];
    ssize_t n;
    while (text->len < 4096 && (n = read(c->reading, buf, sizeof(buf))) > 0)
      g_string_append_len(text, buf, n);
    close(c->reading);
  }
  g_mutex_unlock(&capture_lock);
  for (gsize i = 0; i < text->len; i++)
    if (!g_ascii_isprint(text->str[i]))
      text->str[i] = ' ';
  return g_strstrip(g_string_free(g_steal_pointer(&text), FALSE));
}

static void
set_refused(const char *name, const char *number, gboolean with_cookie, const char *reason,
            GError **error)
{
  const char *file = XauFileName();
  if (!file)
    file = "~/.Xauthority";
  g_autofree char *hint =
      with_cookie ? g_strdup_printf("with the cookie for :%s in %s; is XAUTHORITY the file this "
                                    "server's session uses?",
                                    number, file)
                  : g_strdup_printf("%s holds no cookie for :%s; is XAUTHORITY set to this "
                                    "server's?",
                                    file, number);
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "x11: the X server at DISPLAY=%s refused the connection: %s (%s)", name,
              *reason ? reason : "no reason given", hint);
}

HutchXConn *
hutch_x_open(const char *name, const char *number, GError **error)
{
  install_handlers();
  Capture capture;
  gboolean timed_out;
  capture_start(&capture);
  Display *dpy = open_bounded(name, &timed_out);
  g_autofree char *reason = capture_end(&capture);
  if (timed_out) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "x11: the X server at DISPLAY=%s did not answer the connection setup within %d "
                "s (is it stopped or busy?)",
                name, HUTCH_X_TIMEOUT_S);
    return NULL;
  }
  if (!dpy && !*reason) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "x11: cannot connect to the X server at DISPLAY=%s (is it running?)", name);
    return NULL;
  }
  if (!dpy) {
    g_autoptr(Xauth) cookie = hutch_x_user_cookie(number);
    set_refused(name, number, cookie != NULL, reason, error);
    return NULL;
  }
  if (*reason) /* not ours to swallow */
    g_printerr("%s\n", reason);
  HutchXConn *conn = g_new0(HutchXConn, 1);
  conn->dpy = dpy;
  conn->name = g_strdup(name);
  XSetIOErrorExitHandler(dpy, on_io_exit, conn);
  return conn;
}

void
hutch_x_close(HutchXConn *conn)
{
  if (!conn)
    return;
  HutchXGuard *guard = hutch_x_guard_start(ConnectionNumber(conn->dpy), conn->name, "the close");
  XCloseDisplay(conn->dpy);
  hutch_x_guard_end(guard, NULL);
  g_free(conn->name);
  g_free(conn);
}

/* Errors ------------------------------------------------------------------ */

void
hutch_x_trap_errors(HutchXConn *conn)
{
  trap.dpy = conn->dpy;
  trap.code = 0;
}

int
hutch_x_untrap_errors(HutchXConn *conn)
{
  XSync(conn->dpy, False);
  int code = trap.code;
  trap.dpy = NULL;
  trap.code = 0;
  return code;
}
