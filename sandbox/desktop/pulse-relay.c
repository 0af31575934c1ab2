/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The audio relay's event loop.
 *
 * Why hutch speaks the sound server's protocol itself: to refuse commands
 * it must see each packet, and libpulse offers no packet-level access (it
 * is a client library: it turns calls into packets, it does not pass
 * another client's packets on), nor does any other library. Nor can the
 * servers be asked to restrict a client: PulseAudio admits a client to
 * everything or nothing, and pipewire-pulse's rules (client.access,
 * pulse.rules) live in its own configuration files, the user's to set,
 * not a sandbox's, the same for every client on a socket. flatpak and
 * firejail bind the server's socket as it is: no relay there to borrow.
 * So this file moves bytes, pulse-conn.c cuts them into frames and
 * pulse-filter.c decides; together they are the one place hutch is a
 * protocol relay.
 *
 * One thread per sandbox, in the sandbox's hutch, blocked in epoll_wait
 * while nothing happens: it costs nothing when idle and never delays the
 * supervisor, which relays signals on the main thread. Each app connection
 * gets its own connection to the server, made when the app connects (so
 * the launch never waits for the server) and closed with it; the server
 * then drops everything the app made, as it does for any client that
 * leaves, and so it does when hutch is killed: the kernel closes the
 * sockets. The thread has every signal blocked; the stop request comes
 * through an eventfd.
 *
 * Flow control: while more than HIGH_WATER bytes wait to go one way, the
 * relay stops reading the side that sends them, so a stalled app or server
 * holds up only its own connection, and only that way, with bounded
 * memory. */
#include "pulse-relay.h"
#include "error.h"
#include "pulse-conn.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define READ_CHUNK (64 * 1024)
#define HIGH_WATER (256 * 1024)
#define APP_BACKLOG_MAX (4 * 1024 * 1024)
#define CONNECT_TIMEOUT_S 2
#define MAX_EVENTS 16

typedef struct Conn Conn;

/* One end of a relayed connection and what waits to be written to it. */
typedef struct {
  Conn *conn;
  int fd;
  guint32 events; /* what epoll watches for */
  GByteArray *out;
  gsize sent; /* bytes of out already written */
} Side;

struct Conn {
  Side app, server;
  HutchPulseConn *proto;
  gsize creds_left; /* bytes to the server still to carry our credentials */
  gboolean dead;
};

struct HutchPulseRelay {
  int listen_fd, epoll_fd, wake_fd;
  char *socket;
  struct sockaddr_un upstream;
  guint8 cookie[HUTCH_PULSE_COOKIE_LENGTH];
  gboolean allow_record;
  GThread *thread;
  GPtrArray *conns; /* Conn* */
  GPtrArray *dead;  /* Conn*, freed once the events naming them are handled */
  guint8 *buf;
};

static gsize
pending(const Side *s)
{
  return s->out->len - s->sent;
}

static void
conn_free(gpointer p)
{
  Conn *c = p;
  if (c->app.fd >= 0)
    close(c->app.fd);
  if (c->server.fd >= 0)
    close(c->server.fd);
  g_byte_array_unref(c->app.out);
  g_byte_array_unref(c->server.out);
  hutch_pulse_conn_free(c->proto);
  g_free(c);
}

static void
conn_kill(HutchPulseRelay *relay, Conn *c)
{
  if (c->dead)
    return;
  c->dead = TRUE;
  epoll_ctl(relay->epoll_fd, EPOLL_CTL_DEL, c->app.fd, NULL);
  epoll_ctl(relay->epoll_fd, EPOLL_CTL_DEL, c->server.fd, NULL);
  g_ptr_array_remove_fast(relay->conns, c);
  g_ptr_array_add(relay->dead, c);
}

/* The AUTH packet carries our credentials: by them the server admits its
 * own user on a local socket. */
static ssize_t
send_with_creds(int fd, const guint8 *data, gsize len)
{
  struct iovec iov = {(void *)data, len};
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(struct ucred))];
  } control;
  memset(&control, 0, sizeof(control));
  struct msghdr msg = {.msg_iov = &iov,
                       .msg_iovlen = 1,
                       .msg_control = control.buf,
                       .msg_controllen = sizeof(control.buf)};
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_CREDENTIALS;
  c->cmsg_len = CMSG_LEN(sizeof(struct ucred));
  struct ucred cred = {.pid = getpid(), .uid = getuid(), .gid = getgid()};
  memcpy(CMSG_DATA(c), &cred, sizeof(cred));
  return sendmsg(fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
}

/* Write what waits for S; FALSE when its socket failed. */
static gboolean
flush(Conn *c, Side *s)
{
  while (pending(s)) {
    const guint8 *data = s->out->data + s->sent;
    gboolean creds = s == &c->server && c->creds_left;
    ssize_t n = creds ? send_with_creds(s->fd, data, MIN(pending(s), c->creds_left))
                      : send(s->fd, data, pending(s), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && errno == EAGAIN)
      break;
    if (n <= 0)
      return FALSE;
    s->sent += (gsize)n;
    if (creds)
      c->creds_left -= MIN((gsize)n, c->creds_left);
  }
  if (!pending(s)) {
    g_byte_array_set_size(s->out, 0);
    s->sent = 0;
  } else if (s->sent >= HIGH_WATER) {
    g_byte_array_remove_range(s->out, 0, (guint)s->sent);
    s->sent = 0;
  }
  return TRUE;
}

static gboolean
watch(HutchPulseRelay *relay, Side *s, guint32 events)
{
  if (s->events == events)
    return TRUE;
  struct epoll_event ev = {.events = events, .data.ptr = s};
  s->events = events;
  return epoll_ctl(relay->epoll_fd, EPOLL_CTL_MOD, s->fd, &ev) == 0;
}

/* Read from a side only while the way it sends to has room; write while
 * something waits. The two ways are apart, so an app that writes before
 * it reads does not stall. What the server sends the app is bounded so;
 * the relay's own answers to refused commands are not, and an app that
 * piles them up without reading them loses its connection. */
static gboolean
update_watches(HutchPulseRelay *relay, Conn *c)
{
  if (pending(&c->app) + hutch_pulse_conn_held(c->proto) > APP_BACKLOG_MAX)
    return FALSE;
  guint32 app =
      (pending(&c->server) < HIGH_WATER ? EPOLLIN : 0) | (pending(&c->app) ? EPOLLOUT : 0);
  guint32 server =
      (pending(&c->app) < HIGH_WATER ? EPOLLIN : 0) | (pending(&c->server) ? EPOLLOUT : 0);
  return watch(relay, &c->app, app) && watch(relay, &c->server, server);
}

/* Read once from S and pass the bytes through the filter. */
static gboolean
relay_read(HutchPulseRelay *relay, Conn *c, Side *s)
{
  ssize_t n = recv(s->fd, relay->buf, READ_CHUNK, MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return TRUE;
  if (n <= 0)
    return FALSE;
  gboolean ok =
      s == &c->app
          ? hutch_pulse_conn_from_client(c->proto, relay->buf, (gsize)n, c->server.out, c->app.out)
          : hutch_pulse_conn_from_server(c->proto, relay->buf, (gsize)n, c->app.out);
  if (!ok)
    g_debug("audio relay: the %s broke the protocol; connection closed",
            s == &c->app ? "app" : "sound server");
  return ok;
}

static void
handle(HutchPulseRelay *relay, Side *s, guint32 events)
{
  Conn *c = s->conn;
  if (c->dead)
    return;
  gboolean ok = TRUE;
  if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && (s->events & EPOLLIN))
    ok = relay_read(relay, c, s);
  else if (events & (EPOLLHUP | EPOLLERR))
    ok = FALSE; /* a hangup while the side is held back: the connection is over */
  /* (A side held back since this batch began keeps its input for later.)
   * Write at once what this produced; wait for EPOLLOUT only when full. */
  if (!ok || !flush(c, &c->app) || !flush(c, &c->server) || !update_watches(relay, c))
    conn_kill(relay, c);
}

static int
connect_upstream(HutchPulseRelay *relay)
{
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  /* A server whose listen queue is full makes connect wait: not for long. */
  struct timeval tv = {.tv_sec = CONNECT_TIMEOUT_S};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  if (connect(fd, (struct sockaddr *)&relay->upstream, sizeof(relay->upstream)) < 0 ||
      fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
    g_debug("audio relay: cannot connect to %s: %s", relay->upstream.sun_path, g_strerror(errno));
    close(fd);
    return -1;
  }
  return fd;
}

static void
init_side(Conn *c, Side *s, int fd)
{
  s->conn = c;
  s->fd = fd;
  s->out = g_byte_array_new();
  s->events = EPOLLIN;
}

static gboolean
watch_side(HutchPulseRelay *relay, Side *s)
{
  struct epoll_event ev = {.events = s->events, .data.ptr = s};
  return epoll_ctl(relay->epoll_fd, EPOLL_CTL_ADD, s->fd, &ev) == 0;
}

static void
add_conn(HutchPulseRelay *relay, int app_fd)
{
  if (relay->conns->len >= HUTCH_PULSE_RELAY_MAX_CLIENTS) {
    g_debug("audio relay: more than %d connections from the sandbox; one turned away",
            HUTCH_PULSE_RELAY_MAX_CLIENTS);
    close(app_fd);
    return;
  }
  int server_fd = connect_upstream(relay);
  if (server_fd < 0) {
    close(app_fd);
    return;
  }
  Conn *c = g_new0(Conn, 1);
  c->proto = hutch_pulse_conn_new(relay->cookie, relay->allow_record);
  c->creds_left = HUTCH_PULSE_AUTH_FRAME;
  init_side(c, &c->app, app_fd);
  init_side(c, &c->server, server_fd);
  g_ptr_array_add(relay->conns, c);
  if (!watch_side(relay, &c->app) || !watch_side(relay, &c->server))
    conn_kill(relay, c);
}

static void
accept_apps(HutchPulseRelay *relay)
{
  for (;;) {
    int fd = accept4(relay->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0)
      add_conn(relay, fd);
    else if (errno != EINTR)
      return;
  }
}

static gpointer
relay_main(gpointer data)
{
  HutchPulseRelay *relay = data;
  struct epoll_event events[MAX_EVENTS];
  for (;;) {
    int n = epoll_wait(relay->epoll_fd, events, MAX_EVENTS, -1);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      break;
    gboolean stop = FALSE;
    for (int i = 0; i < n; i++) {
      void *ptr = events[i].data.ptr;
      if (ptr == &relay->wake_fd)
        stop = TRUE;
      else if (ptr == &relay->listen_fd)
        accept_apps(relay);
      else
        handle(relay, ptr, events[i].events);
    }
    g_ptr_array_set_size(relay->dead, 0);
    if (stop)
      break;
  }
  return NULL;
}

static void
relay_free(HutchPulseRelay *relay)
{
  if (relay->conns)
    g_ptr_array_unref(relay->conns);
  if (relay->dead)
    g_ptr_array_unref(relay->dead);
  if (relay->listen_fd >= 0) {
    close(relay->listen_fd);
    unlink(relay->socket);
  }
  if (relay->epoll_fd >= 0)
    close(relay->epoll_fd);
  if (relay->wake_fd >= 0)
    close(relay->wake_fd);
  g_free(relay->socket);
  g_free(relay->buf);
  g_free(relay);
}

static gboolean
fill_address(struct sockaddr_un *addr, const char *path)
{
  memset(addr, 0, sizeof(*addr));
  addr->sun_family = AF_UNIX;
  if (strlen(path) >= sizeof(addr->sun_path))
    return FALSE;
  strcpy(addr->sun_path, path);
  return TRUE;
}

static gboolean
listen_at(HutchPulseRelay *relay, GError **error)
{
  struct sockaddr_un addr;
  if (!fill_address(&addr, relay->socket)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "the socket path %s is too long for a unix socket; use a shorter --name",
                relay->socket);
    return FALSE;
  }
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
      listen(fd, HUTCH_PULSE_RELAY_MAX_CLIENTS) < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot listen at %s: %s", relay->socket,
                g_strerror(errno));
    if (fd >= 0)
      close(fd);
    return FALSE;
  }
  relay->listen_fd = fd;
  return TRUE;
}

static gboolean
watch_fd(HutchPulseRelay *relay, int *fd)
{
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = fd};
  return epoll_ctl(relay->epoll_fd, EPOLL_CTL_ADD, *fd, &ev) == 0;
}

/* The thread starts with every signal blocked: signals are the main
 * thread's to take. */
static GThread *
start_thread(HutchPulseRelay *relay, GError **error)
{
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  GThread *thread = g_thread_try_new("hutch-audio", relay_main, relay, error);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return thread;
}

HutchPulseRelay *
hutch_pulse_relay_start(const char *socket, const char *upstream,
                        const guint8 cookie[HUTCH_PULSE_COOKIE_LENGTH], gboolean allow_record,
                        GError **error)
{
  HutchPulseRelay *relay = g_new0(HutchPulseRelay, 1);
  relay->listen_fd = relay->epoll_fd = relay->wake_fd = -1;
  relay->socket = g_strdup(socket);
  memcpy(relay->cookie, cookie, sizeof(relay->cookie));
  relay->allow_record = allow_record;
  relay->conns = g_ptr_array_new();
  relay->dead = g_ptr_array_new_with_free_func(conn_free);
  relay->buf = g_malloc(READ_CHUNK);
  if (!fill_address(&relay->upstream, upstream)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "the sound server's socket path %s is too long", upstream);
    relay_free(relay);
    return NULL;
  }
  if (!listen_at(relay, error)) {
    relay_free(relay);
    return NULL;
  }
  relay->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  relay->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (relay->epoll_fd < 0 || relay->wake_fd < 0 || !watch_fd(relay, &relay->listen_fd) ||
      !watch_fd(relay, &relay->wake_fd)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot set up the audio relay: %s",
                g_strerror(errno));
    relay_free(relay);
    return NULL;
  }
  relay->thread = start_thread(relay, error);
  if (!relay->thread) {
    g_prefix_error(error, "cannot start the audio relay: ");
    relay_free(relay);
    return NULL;
  }
  return relay;
}

void
hutch_pulse_relay_stop(HutchPulseRelay *relay)
{
  if (!relay)
    return;
  guint64 one = 1;
  while (write(relay->wake_fd, &one, sizeof(one)) < 0 && errno == EINTR)
    ;
  g_thread_join(relay->thread);
  /* Every connection ends here: closing them is what makes the server
   * drop the app's streams. */
  for (guint i = 0; i < relay->conns->len; i++)
    g_ptr_array_add(relay->dead, relay->conns->pdata[i]);
  g_ptr_array_set_size(relay->conns, 0);
  relay_free(relay);
}
