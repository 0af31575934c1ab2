/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "interrupt.h"
#include "error.h"
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

/* How long the launch may take to give up by itself after a signal. */
#define GRACE_MS 1000

static int signal_fd = -1;
static int stop_fd = -1;
static pthread_t watcher;
static gboolean watching;
static int caught;

static void
ending_signals(sigset_t *set)
{
  sigemptyset(set);
  sigaddset(set, SIGINT);
  sigaddset(set, SIGTERM);
  sigaddset(set, SIGHUP);
  sigaddset(set, SIGQUIT);
}

/* poll FDS until one is ready; FALSE after MS (-1: never). */
static gboolean
wait_ready(struct pollfd *fds, int n, int ms)
{
  for (;;) {
    int r = poll(fds, n, ms);
    if (r > 0)
      return TRUE;
    if (r == 0 || errno != EINTR)
      return FALSE;
  }
}

/* The launch did not end within the grace period: end the process the
 * way a signal would have, with its status. Only async-signal-safe calls:
 * other threads may hold any lock. */
static G_GNUC_NORETURN void
end_now(int sig)
{
  static const char msg[] = "hutch: a step of the launch does not finish (a server that does "
                            "not answer?); ending now: the next hutch command undoes what was "
                            "set up\n";
  ssize_t n G_GNUC_UNUSED = write(STDERR_FILENO, msg, sizeof(msg) - 1);
  _exit(128 + sig);
}

static void *
watch(void *data)
{
  struct pollfd fds[2] = {{.fd = signal_fd, .events = POLLIN}, {.fd = stop_fd, .events = POLLIN}};
  struct signalfd_siginfo si;
  for (;;) {
    if (!wait_ready(fds, 2, -1) || fds[1].revents)
      return NULL;
    if (read(signal_fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
      break;
  }
  g_atomic_int_set(&caught, (int)si.ssi_signo);
  /* Stopped meanwhile: the launch saw the signal, or is about to (the
   * caller of hutch_interrupt_stop acts on it). */
  if (wait_ready(&fds[1], 1, GRACE_MS))
    return NULL;
  end_now((int)si.ssi_signo);
}

void
hutch_interrupt_watch(void)
{
  if (watching)
    return;
  sigset_t set;
  ending_signals(&set);
  signal_fd = signalfd(-1, &set, SFD_CLOEXEC);
  stop_fd = eventfd(0, EFD_CLOEXEC);
  /* A bare pthread with a small stack, not a GThread: the watcher only
   * polls, reads and writes, and never allocates, so it needs neither an
   * 8 MiB stack nor the malloc arena of its own (a 128 MiB reservation)
   * that GLib's thread setup made it create — mappings every launch paid
   * for and unmapped again. */
  if (signal_fd >= 0 && stop_fd >= 0) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    watching = pthread_create(&watcher, &attr, watch, NULL) == 0;
    pthread_attr_destroy(&attr);
  }
  if (watching)
    return;
  /* No watcher: the signals stay pending and reach the command. */
  if (signal_fd >= 0)
    close(signal_fd);
  if (stop_fd >= 0)
    close(stop_fd);
  signal_fd = stop_fd = -1;
}

int
hutch_interrupt_stop(void)
{
  if (watching) {
    guint64 one = 1;
    ssize_t n G_GNUC_UNUSED = write(stop_fd, &one, sizeof(one));
    pthread_join(watcher, NULL);
    watching = FALSE;
    close(signal_fd);
    close(stop_fd);
    signal_fd = stop_fd = -1;
  }
  return g_atomic_int_get(&caught);
}

int
hutch_interrupt_signal(void)
{
  return g_atomic_int_get(&caught);
}

void
hutch_interrupt_error(int sig, GError **error)
{
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_INTERRUPTED + sig,
              "stopped by SIG%s before the command started", sigabbrev_np(sig));
}

gboolean
hutch_interrupt_check(GError **error)
{
  int sig = g_atomic_int_get(&caught);
  if (!sig)
    return TRUE;
  hutch_interrupt_error(sig, error);
  return FALSE;
}
