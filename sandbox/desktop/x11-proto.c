/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The X11 wire protocol, as far as the passthrough needs it. Requests go
 * out in this machine's byte order, so the server answers in it too and
 * fields are read with memcpy. Requests are made one at a time and each
 * waits for its answer (RevokeAuthorization has none: a GetInputFocus
 * round trip follows it), so at most two are ever outstanding.
 *
 * Wire layouts: X Window System Protocol, "Connection Setup" and
 * "Encoding"; SECURITY extension 1.0 (xorgproto securproto.h). */
#include "x11-proto.h"
#include "unix-socket.h"
#include "error.h"
#include "x11-display.h"
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define COOKIE_NAME "MIT-MAGIC-COOKIE-1"
#define X_GET_INPUT_FOCUS 43
#define X_QUERY_EXTENSION 98
#define SECURITY_GENERATE_AUTHORIZATION 1
#define SECURITY_REVOKE_AUTHORIZATION 2
#define SECURITY_TIMEOUT (1u << 0)
#define SECURITY_TRUST_LEVEL (1u << 1)
#define SECURITY_CLIENT_UNTRUSTED 1u
#define PACKET_ERROR 0
#define PACKET_REPLY 1
#define EVENT_GENERIC 35
#define SETUP_FAILED 0
#define SETUP_SUCCESS 1
#define SETUP_AUTHENTICATE 2
/* No reply we ask for carries more than a cookie; anything far larger is
 * not an X server speaking. */
#define MAX_REPLY_EXTRA 65536

G_DEFINE_QUARK(hutch - x - error - quark, hutch_x_error)

struct HutchXConn {
  int fd;
  char *name;
  guint16 seq;       /* of the last request sent */
  guint16 answered;  /* of the last request whose answer was read */
  gboolean gone;     /* the server closed the connection */
  gint64 deadline;   /* monotonic µs; the current round trip's */
  const char *doing; /* the request waited for, for messages */
};

static inline gsize
pad4(gsize n)
{
  return (n + 3) & ~(gsize)3;
}

static guint16
get16(const guint8 *p)
{
  guint16 v;
  memcpy(&v, p, sizeof(v));
  return v;
}

static guint32
get32(const guint8 *p)
{
  guint32 v;
  memcpy(&v, p, sizeof(v));
  return v;
}

static void
put16(GByteArray *b, guint16 v)
{
  g_byte_array_append(b, (const guint8 *)&v, sizeof(v));
}

static void
put32(GByteArray *b, guint32 v)
{
  g_byte_array_append(b, (const guint8 *)&v, sizeof(v));
}

/* LEN bytes of DATA, then zeros up to a multiple of four. */
static void
put_padded(GByteArray *b, const void *data, gsize len)
{
  static const guint8 zeros[3];
  if (len)
    g_byte_array_append(b, data, (guint)len);
  g_byte_array_append(b, zeros, (guint)(pad4(len) - len));
}

static void
start_round_trip(HutchXConn *c, const char *doing)
{
  c->doing = doing;
  c->deadline = g_get_monotonic_time() + HUTCH_X_TIMEOUT_S * G_USEC_PER_SEC;
}

static gboolean
io_failed(HutchXConn *c, int err, GError **error)
{
  if (err == EPIPE || err == ECONNRESET)
    c->gone = TRUE;
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "x11: lost the X server at DISPLAY=%s during %s: %s", c->name, c->doing,
              g_strerror(err));
  return FALSE;
}

/* Wait until the socket is ready for EVENTS, at most until the deadline. */
static gboolean
wait_ready(HutchXConn *c, short events, GError **error)
{
  for (;;) {
    gint64 left_us = c->deadline - g_get_monotonic_time();
    int left_ms = left_us > 0 ? (int)((left_us + 999) / 1000) : 0;
    struct pollfd p = {.fd = c->fd, .events = events};
    int n = poll(&p, 1, left_ms);
    if (n > 0)
      return TRUE;
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return io_failed(c, errno, error);
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "x11: the X server at DISPLAY=%s did not answer %s within %d s (is it stopped "
                "or busy?)",
                c->name, c->doing, HUTCH_X_TIMEOUT_S);
    return FALSE;
  }
}

static gboolean
send_all(HutchXConn *c, const guint8 *data, gsize len, GError **error)
{
  while (len > 0) {
    ssize_t n = send(c->fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!wait_ready(c, POLLOUT, error))
        return FALSE;
      continue;
    }
    if (n < 0)
      return io_failed(c, errno, error);
    data += n;
    len -= (gsize)n;
  }
  return TRUE;
}

/* Exactly LEN bytes into BUF (NULL: read and drop them). */
static gboolean
recv_exact(HutchXConn *c, guint8 *buf, gsize len, GError **error)
{
  guint8 sink[4096];
  while (len > 0) {
    if (!wait_ready(c, POLLIN, error))
      return FALSE;
    guint8 *to = buf ? buf : sink;
    gsize want = buf ? len : MIN(len, sizeof(sink));
    ssize_t n = recv(c->fd, to, want, MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
      continue;
    if (n < 0)
      return io_failed(c, errno, error);
    if (n == 0) {
      c->gone = TRUE;
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                  "x11: the X server at DISPLAY=%s closed the connection during %s", c->name,
                  c->doing);
      return FALSE;
    }
    if (buf)
      buf += n;
    len -= (gsize)n;
  }
  return TRUE;
}

static gboolean
send_request(HutchXConn *c, GByteArray *req, GError **error)
{
  /* Requests are measured in four-byte units, header included. */
  g_assert(req->len % 4 == 0 && req->len / 4 <= G_MAXUINT16);
  guint16 units = (guint16)(req->len / 4);
  memcpy(req->data + 2, &units, sizeof(units));
  if (!send_all(c, req->data, req->len, error))
    return FALSE;
  c->seq++;
  return TRUE;
}

/* The four-byte header of a request: opcode, one data byte, and room for
 * the length that send_request fills in. */
static GByteArray *
new_request(guint8 opcode, guint8 data)
{
  GByteArray *b = g_byte_array_sized_new(32);
  guint8 head[4] = {opcode, data, 0, 0};
  g_byte_array_append(b, head, sizeof(head));
  return b;
}

/* Whether sequence number SEQ (its low 16 bits, as on the wire) is one of
 * the requests sent but not yet answered. */
static gboolean
outstanding(const HutchXConn *c, guint16 seq)
{
  guint16 since = (guint16)(seq - c->answered);
  return since >= 1 && since <= (guint16)(c->seq - c->answered);
}

/* Read until the reply to the last request sent: its 32 bytes into HEAD
 * and what follows them into *EXTRA (when not NULL). An X error for any
 * request not yet answered ends the wait with a HUTCH_X_ERROR; events, and
 * anything else not ours, are skipped. */
static gboolean
wait_reply(HutchXConn *c, guint8 head[32], GBytes **extra, GError **error)
{
  for (;;) {
    if (!recv_exact(c, head, 32, error))
      return FALSE;
    guint8 type = head[0] & 0x7f; /* the top bit marks events sent by SendEvent */
    guint16 seq = get16(head + 2);
    if (type == PACKET_ERROR && outstanding(c, seq)) {
      c->answered = c->seq;
      g_set_error(error, HUTCH_X_ERROR, head[1],
                  "x11: the X server at DISPLAY=%s answered %s with X error %d", c->name, c->doing,
                  head[1]);
      return FALSE;
    }
    if (type == PACKET_ERROR)
      continue;
    gsize more = 0;
    if (type == PACKET_REPLY || type == EVENT_GENERIC)
      more = (gsize)get32(head + 4) * 4;
    if (more > MAX_REPLY_EXTRA) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                  "x11: the X server at DISPLAY=%s sent a reply of %zu bytes to %s; that is no "
                  "X server hutch understands",
                  c->name, more + 32, c->doing);
      return FALSE;
    }
    if (type != PACKET_REPLY || seq != c->seq) {
      if (!recv_exact(c, NULL, more, error))
        return FALSE;
      continue;
    }
    g_autofree guint8 *data = g_malloc(more ? more : 1);
    if (!recv_exact(c, data, more, error))
      return FALSE;
    c->answered = c->seq;
    if (extra)
      *extra = g_bytes_new_take(g_steal_pointer(&data), more);
    return TRUE;
  }
}

static int
connect_socket(const char *name, const char *number, GError **error)
{
  g_autofree char *path = g_strdup_printf(HUTCH_X11_SOCKET_DIR "/X%s", number);
  int fd = hutch_unix_connect(path);
  if (fd < 0)
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "x11: cannot connect to the X server at DISPLAY=%s through %s: %s (is it "
                "running?)",
                name, path, g_strerror(errno));
  return fd;
}

static gboolean
send_setup(HutchXConn *c, const HutchXServer *server, GError **error)
{
  gboolean with_cookie = server->cookie != NULL;
  const gsize name_len = with_cookie ? sizeof(COOKIE_NAME) - 1 : 0;
  const gsize data_len = with_cookie ? server->cookie_len : 0;
  g_autoptr(GByteArray) b = g_byte_array_sized_new(64);
  guint8 order = G_BYTE_ORDER == G_LITTLE_ENDIAN ? 'l' : 'B';
  guint8 head[2] = {order, 0};
  g_byte_array_append(b, head, sizeof(head));
  put16(b, 11); /* protocol 11.0 */
  put16(b, 0);
  put16(b, (guint16)name_len);
  put16(b, (guint16)data_len);
  put16(b, 0);
  put_padded(b, COOKIE_NAME, name_len);
  put_padded(b, server->cookie, data_len);
  return send_all(c, b->data, b->len, error);
}

/* The server's reason, made fit for a one-line message. */
static char *
printable_reason(const guint8 *data, gsize len)
{
  char *s = g_strndup((const char *)data, len);
  for (char *p = s; *p; p++)
    if (!g_ascii_isprint(*p))
      *p = ' ';
  return g_strstrip(s);
}

static void
set_refused(const HutchXServer *server, const char *reason, GError **error)
{
  const char *file = server->auth_file ? server->auth_file : "~/.Xauthority";
  g_autofree char *hint =
      server->cookie
          ? g_strdup_printf("with the cookie for :%s in %s; is XAUTHORITY the file this "
                            "server's session uses?",
                            server->number, file)
          : g_strdup_printf("%s holds no cookie for :%s; is XAUTHORITY set to this server's?", file,
                            server->number);
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "x11: the X server at DISPLAY=%s refused the connection: %s (%s)", server->name,
              *reason ? reason : "no reason given", hint);
}

/* The setup reply: an eight-byte header whose last field is the length, in
 * four-byte units, of what follows. Success needs nothing from the rest;
 * the requests made here create no resources. */
static gboolean
read_setup_reply(HutchXConn *c, const HutchXServer *server, GError **error)
{
  guint8 head[8];
  if (!recv_exact(c, head, sizeof(head), error))
    return FALSE;
  gsize more = (gsize)get16(head + 6) * 4;
  if (head[0] == SETUP_SUCCESS)
    return recv_exact(c, NULL, more, error);
  if (head[0] != SETUP_FAILED && head[0] != SETUP_AUTHENTICATE) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "x11: the X server at DISPLAY=%s answered the connection setup with status %d, "
                "which is no X11 status",
                c->name, head[0]);
    return FALSE;
  }
  g_autofree guint8 *data = g_malloc(more + 1);
  if (!recv_exact(c, data, more, error))
    return FALSE;
  /* Failed gives the reason's length in byte 1; Authenticate pads it with NULs. */
  gsize len = head[0] == SETUP_FAILED ? MIN((gsize)head[1], more) : strnlen((char *)data, more);
  g_autofree char *reason = printable_reason(data, len);
  c->gone = TRUE; /* the server closes a refused connection */
  set_refused(server, reason, error);
  return FALSE;
}

HutchXConn *
hutch_x_connect(const HutchXServer *server, GError **error)
{
  int fd = connect_socket(server->name, server->number, error);
  if (fd < 0)
    return NULL;
  g_autoptr(HutchXConn) c = g_new0(HutchXConn, 1);
  c->fd = fd;
  c->name = g_strdup(server->name);
  start_round_trip(c, "the connection setup");
  if (!send_setup(c, server, error) || !read_setup_reply(c, server, error))
    return NULL;
  return g_steal_pointer(&c);
}

void
hutch_x_close(HutchXConn *c)
{
  if (!c)
    return;
  if (c->fd >= 0)
    close(c->fd);
  g_free(c->name);
  g_free(c);
}

gboolean
hutch_x_server_gone(const HutchXConn *c)
{
  return c->gone;
}

gboolean
hutch_x_query_extension(HutchXConn *c, const char *name, gboolean *present, guint8 *major,
                        GError **error)
{
  gsize len = strlen(name);
  g_autoptr(GByteArray) req = new_request(X_QUERY_EXTENSION, 0);
  put16(req, (guint16)len);
  put16(req, 0);
  put_padded(req, name, len);
  start_round_trip(c, "QueryExtension");
  guint8 reply[32];
  if (!send_request(c, req, error) || !wait_reply(c, reply, NULL, error))
    return FALSE;
  *present = reply[8] != 0;
  *major = reply[9];
  return TRUE;
}

gboolean
hutch_x_security_generate_untrusted(HutchXConn *c, guint8 major, guint32 *id, GBytes **cookie,
                                    GError **error)
{
  const gsize name_len = sizeof(COOKIE_NAME) - 1;
  g_autoptr(GByteArray) req = new_request(major, SECURITY_GENERATE_AUTHORIZATION);
  put16(req, (guint16)name_len);
  put16(req, 0); /* no data: the server makes the cookie */
  put32(req, SECURITY_TIMEOUT | SECURITY_TRUST_LEVEL);
  put_padded(req, COOKIE_NAME, name_len);
  /* The values, in the order of their bits in the mask. */
  put32(req, 0); /* timeout: none */
  put32(req, SECURITY_CLIENT_UNTRUSTED);
  start_round_trip(c, "SecurityGenerateAuthorization");
  guint8 reply[32];
  g_autoptr(GBytes) extra = NULL;
  if (!send_request(c, req, error) || !wait_reply(c, reply, &extra, error))
    return FALSE;
  gsize data_len = get16(reply + 12);
  if (data_len == 0 || data_len > g_bytes_get_size(extra)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "x11: the X server at DISPLAY=%s sent a cookie of %zu bytes in a reply of %zu",
                c->name, data_len, g_bytes_get_size(extra));
    return FALSE;
  }
  *id = get32(reply + 8);
  *cookie = g_bytes_new_from_bytes(extra, 0, data_len);
  return TRUE;
}

gboolean
hutch_x_security_revoke(HutchXConn *c, guint8 major, guint32 id, GError **error)
{
  g_autoptr(GByteArray) revoke = new_request(major, SECURITY_REVOKE_AUTHORIZATION);
  put32(revoke, id);
  g_autoptr(GByteArray) sync = new_request(X_GET_INPUT_FOCUS, 0);
  start_round_trip(c, "SecurityRevokeAuthorization");
  guint8 reply[32];
  return send_request(c, revoke, error) && send_request(c, sync, error) &&
         wait_reply(c, reply, NULL, error);
}
