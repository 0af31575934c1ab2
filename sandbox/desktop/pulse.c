/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A client of the sound server's native protocol (PulseAudio, and
 * pipewire-pulse which speaks it too) that knows the three commands hutch
 * needs to tell what a server is: AUTH, SET_CLIENT_NAME and
 * GET_SERVER_INFO. libpulse and the 30 libraries it pulls in took ~3 ms to
 * load, a third of a whole launch; this takes none. The audio relay
 * (pulse-relay.c) finds the server and the cookie through it too.
 *
 * A packet is a 20-byte descriptor (length, channel, offset high/low,
 * flags; big-endian) and a tagstruct (pulse-tagstruct.c). Commands carry a
 * tag that the server's REPLY or ERROR repeats. hutch never negotiates
 * shared memory, so the server sends no memory blocks; anything that is not
 * the awaited answer is skipped. Every wait is bounded, so a wedged server
 * fails the launch instead of hanging it. */
#include "pulse.h"
#include "error.h"
#include "pulse-server.h"
#include "pulse-tagstruct.h"
#include "unix-socket.h"
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define TIMEOUT_MS 5000
#define PROTOCOL_VERSION 35 /* PulseAudio 15+; servers answer with their own */
#define MAX_PACKET (16 * 1024 * 1024)

enum {
  CMD_ERROR = 0,
  CMD_REPLY = 2,
  CMD_AUTH = 8,
  CMD_SET_CLIENT_NAME = 9,
  CMD_GET_SERVER_INFO = 20,
};

struct HutchPulse {
  int fd;
  char *server;
  guint32 next_tag;
  guint32 version; /* the protocol version both sides speak */
  char *name;      /* what the server says it is, asked in the handshake */
  char *name_version;
  char *cookie_file;
  GPtrArray *early; /* Answer*: replies that came before their turn */
};

void
hutch_pulse_free(HutchPulse *pulse)
{
  if (!pulse)
    return;
  if (pulse->fd >= 0)
    close(pulse->fd);
  g_free(pulse->server);
  g_free(pulse->name);
  g_free(pulse->name_version);
  g_free(pulse->cookie_file);
  g_ptr_array_unref(pulse->early);
  g_free(pulse);
}

/* pa_strerror's words for the codes a server sends back. */
static const char *
server_error_text(guint32 code)
{
  static const char *const texts[] = {
      "OK",
      "Access denied",
      "Unknown command",
      "Invalid argument",
      "Entity exists",
      "No such entity",
      "Connection refused",
      "Protocol error",
      "Timeout",
      "No authentication key",
      "Internal error",
      "Connection terminated",
      "Entity killed",
      "Invalid server",
      "Module initialization failed",
      "Bad state",
      "No data",
      "Incompatible protocol version",
      "Data too large",
      "Operation not supported",
      "The error code was unknown to the client",
      "Extension does not exist",
      "Obsolete functionality",
      "Missing implementation",
      "Client forked",
      "Input/Output error",
      "Device or resource busy",
  };
  return code < G_N_ELEMENTS(texts) ? texts[code] : "Unknown error code";
}

static gboolean
wait_fd(int fd, short events, gint64 deadline, const char *what, GError **error)
{
  for (;;) {
    gint64 left_ms = (deadline - g_get_monotonic_time()) / 1000;
    if (left_ms <= 0) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                  "%s: the sound server did not answer within %d seconds", what, TIMEOUT_MS / 1000);
      return FALSE;
    }
    struct pollfd p = {.fd = fd, .events = events};
    int n = poll(&p, 1, (int)left_ms);
    if (n > 0)
      return TRUE;
    if (n < 0 && errno != EINTR) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "%s: %s", what, g_strerror(errno));
      return FALSE;
    }
  }
}

static gboolean
read_exactly(HutchPulse *pulse, void *buf, gsize len, gint64 deadline, const char *what,
             GError **error)
{
  guint8 *p = buf;
  while (len > 0) {
    if (!wait_fd(pulse->fd, POLLIN, deadline, what, error))
      return FALSE;
    ssize_t n = read(pulse->fd, p, len);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
      continue;
    if (n <= 0) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "%s: %s", what,
                  n == 0 ? "the sound server closed the connection" : g_strerror(errno));
      return FALSE;
    }
    p += n;
    len -= (gsize)n;
  }
  return TRUE;
}

/* Send command packets in one write, with our credentials attached: by
 * them a server admits its own user on a local socket (what it checks on
 * AUTH; later commands ignore them). */
static gboolean
send_packets(HutchPulse *pulse, GByteArray **bodies, guint n, const char *what, GError **error)
{
  guint32 desc[4][5];
  struct iovec iov[8];
  gsize total = 0;
  g_assert(n <= G_N_ELEMENTS(desc));
  for (guint i = 0; i < n; i++) {
    guint32 d[5] = {GUINT32_TO_BE(bodies[i]->len), GUINT32_TO_BE(G_MAXUINT32), 0, 0, 0};
    memcpy(desc[i], d, sizeof(d));
    iov[2 * i] = (struct iovec){desc[i], sizeof(d)};
    iov[2 * i + 1] = (struct iovec){bodies[i]->data, bodies[i]->len};
    total += sizeof(d) + bodies[i]->len;
  }
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(struct ucred))];
  } control;
  memset(&control, 0, sizeof(control));
  struct msghdr msg = {.msg_iov = iov,
                       .msg_iovlen = 2 * n,
                       .msg_control = control.buf,
                       .msg_controllen = sizeof(control.buf)};
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_CREDENTIALS;
  c->cmsg_len = CMSG_LEN(sizeof(struct ucred));
  struct ucred cred = {.pid = getpid(), .uid = getuid(), .gid = getgid()};
  memcpy(CMSG_DATA(c), &cred, sizeof(cred));
  ssize_t sent;
  do
    sent = sendmsg(pulse->fd, &msg, MSG_NOSIGNAL);
  while (sent < 0 && errno == EINTR);
  /* Commands are small; a short write to a fresh socket does not happen. */
  if (sent != (ssize_t)total) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "%s: %s", what,
                sent < 0 ? g_strerror(errno) : "short write to the sound server");
    return FALSE;
  }
  return TRUE;
}

/* Start a command: its number and a fresh tag. */
static guint32
begin_command(HutchPulse *pulse, HutchTagWriter *w, guint32 command)
{
  guint32 tag = pulse->next_tag++;
  hutch_tag_writer_init(w);
  hutch_tag_put_u32(w, command);
  hutch_tag_put_u32(w, tag);
  return tag;
}

/* A REPLY or ERROR packet of ours: its command, tag and payload. */
typedef struct {
  guint32 command;
  guint32 tag;
  GBytes *packet;
  HutchTagReader rest; /* after the command and tag */
} Answer;

static void
answer_free(gpointer p)
{
  Answer *a = p;
  g_bytes_unref(a->packet);
  g_free(a);
}

/* Read packets until the next answer to one of our commands; memory blocks
 * and the server's own events are skipped. */
static Answer *
read_answer(HutchPulse *pulse, gint64 deadline, const char *what, GError **error)
{
  for (;;) {
    guint32 desc[5];
    if (!read_exactly(pulse, desc, sizeof(desc), deadline, what, error))
      return NULL;
    guint32 len = GUINT32_FROM_BE(desc[0]);
    if (len > MAX_PACKET) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                  "%s: the sound server sent a %u-byte packet (protocol error)", what, len);
      return NULL;
    }
    guint8 *data = g_malloc(len ? len : 1);
    if (!read_exactly(pulse, data, len, deadline, what, error)) {
      g_free(data);
      return NULL;
    }
    Answer *a = g_new0(Answer, 1);
    a->packet = g_bytes_new_take(data, len);
    a->rest = (HutchTagReader){data, data + len};
    if (GUINT32_FROM_BE(desc[1]) == G_MAXUINT32 && hutch_tag_get_u32(&a->rest, &a->command) &&
        hutch_tag_get_u32(&a->rest, &a->tag) &&
        (a->command == CMD_REPLY || a->command == CMD_ERROR))
      return a;
    answer_free(a);
  }
}

/* Wait for the REPLY (or ERROR) to TAG; *body gets the whole packet and
 * *reader the reply's payload after the command and tag. Servers need not
 * answer pipelined commands in order (pipewire-pulse does not), so answers
 * to other tags are kept for their own turn. */
static gboolean
await_reply(HutchPulse *pulse, guint32 tag, GBytes **body, HutchTagReader *reader, const char *what,
            GError **error)
{
  gint64 deadline = g_get_monotonic_time() + (gint64)TIMEOUT_MS * 1000;
  Answer *a = NULL;
  for (guint i = 0; i < pulse->early->len && !a; i++)
    if (((Answer *)pulse->early->pdata[i])->tag == tag)
      a = g_ptr_array_steal_index(pulse->early, i);
  while (!a) {
    a = read_answer(pulse, deadline, what, error);
    if (!a)
      return FALSE;
    if (a->tag != tag) {
      g_ptr_array_add(pulse->early, a);
      a = NULL;
    }
  }
  gboolean ok = a->command == CMD_REPLY;
  if (!ok) {
    guint32 code = 0;
    hutch_tag_get_u32(&a->rest, &code);
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "%s: %s", what, server_error_text(code));
  } else {
    *body = g_bytes_ref(a->packet);
    *reader = a->rest;
  }
  answer_free(a);
  return ok;
}

static gboolean
protocol_error(const char *what, GError **error)
{
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "%s: the sound server's answer could not be read (protocol error)", what);
  return FALSE;
}

static gboolean
read_server_info(HutchPulse *pulse, guint32 tag, GError **error)
{
  const char *what = "cannot ask the sound server what it is";
  g_autoptr(GBytes) reply = NULL;
  HutchTagReader r;
  if (!await_reply(pulse, tag, &reply, &r, what, error))
    return FALSE;
  const char *n, *v;
  if (!hutch_tag_get_string(&r, &n) || !hutch_tag_get_string(&r, &v))
    return protocol_error(what, error);
  pulse->name = g_strdup(n ? n : "");
  pulse->name_version = g_strdup(v ? v : "");
  return TRUE;
}

/* AUTH, SET_CLIENT_NAME and GET_SERVER_INFO go out in one write, so the
 * whole handshake is a single round trip; the server answers in order. */
static gboolean
handshake(HutchPulse *pulse, GError **error)
{
  const char *what = "cannot connect to the sound server";
  guint8 cookie[HUTCH_PULSE_COOKIE_LENGTH];
  hutch_pulse_read_cookie(pulse->cookie_file, cookie);
  HutchTagWriter w;
  guint32 auth_tag = begin_command(pulse, &w, CMD_AUTH);
  hutch_tag_put_u32(&w, PROTOCOL_VERSION);
  hutch_tag_put_arbitrary(&w, cookie, sizeof(cookie));
  g_autoptr(GByteArray) auth = w.data;
  guint32 name_tag = begin_command(pulse, &w, CMD_SET_CLIENT_NAME);
  const char *props[] = {"application.name", "hutch", "application.process.binary", "hutch", NULL};
  hutch_tag_put_proplist(&w, props);
  g_autoptr(GByteArray) name = w.data;
  guint32 info_tag = begin_command(pulse, &w, CMD_GET_SERVER_INFO);
  g_autoptr(GByteArray) info = w.data;
  GByteArray *bodies[] = {auth, name, info};
  if (!send_packets(pulse, bodies, G_N_ELEMENTS(bodies), what, error))
    return FALSE;
  g_autoptr(GBytes) reply = NULL, name_reply = NULL;
  HutchTagReader r;
  guint32 version;
  if (!await_reply(pulse, auth_tag, &reply, &r, what, error))
    return FALSE;
  if (!hutch_tag_get_u32(&r, &version))
    return protocol_error(what, error);
  /* The high bits announce shared memory support, which hutch never uses. */
  pulse->version = MIN(version & 0xffff, PROTOCOL_VERSION);
  if (pulse->version < 13) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "%s: it speaks protocol version %u; hutch needs 13 (PulseAudio 0.9.11) or "
                "later",
                what, pulse->version);
    return FALSE;
  }
  return await_reply(pulse, name_tag, &name_reply, &r, what, error) &&
         read_server_info(pulse, info_tag, error);
}

HutchPulse *
hutch_pulse_open(GError **error)
{
  g_auto(GStrv) servers = NULL;
  g_autofree char *remote = NULL;
  g_autoptr(HutchPulse) pulse = g_new0(HutchPulse, 1);
  pulse->fd = -1;
  pulse->next_tag = 1;
  pulse->early = g_ptr_array_new_with_free_func(answer_free);
  hutch_pulse_server_candidates(&servers, &remote, &pulse->cookie_file);
  int first_errno = 0;
  for (char **s = servers; *s && pulse->fd < 0; s++) {
    pulse->fd = hutch_unix_connect(*s);
    if (pulse->fd >= 0)
      pulse->server = g_strdup(*s);
    else if (!first_errno)
      first_errno = errno;
  }
  if (pulse->fd < 0 && remote) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "the sound server %s is not on this machine; hutch passes only a local one",
                remote);
    return NULL;
  }
  if (pulse->fd < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "cannot connect to the sound server at %s: %s", servers[0] ? servers[0] : "?",
                g_strerror(first_errno ? first_errno : ENOENT));
    return NULL;
  }
  return g_steal_pointer(&pulse);
}

gboolean
hutch_pulse_handshake(HutchPulse *pulse, GError **error)
{
  return pulse->name || handshake(pulse, error);
}

static char *
peer_command(HutchPulse *pulse)
{
  struct ucred cred;
  socklen_t len = sizeof(cred);
  if (getsockopt(pulse->fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || cred.pid <= 0)
    return NULL;
  g_autofree char *path = g_strdup_printf("/proc/%d/comm", (int)cred.pid);
  char *comm = NULL;
  if (!g_file_get_contents(path, &comm, NULL, NULL))
    return NULL;
  return g_strstrip(comm);
}

HutchSoundServer
hutch_pulse_peer(HutchPulse *pulse, char **comm)
{
  *comm = peer_command(pulse);
  if (*comm && g_str_has_prefix(*comm, "pipewire"))
    return HUTCH_SOUND_SERVER_PIPEWIRE;
  if (*comm && g_str_has_prefix(*comm, "pulseaudio"))
    return HUTCH_SOUND_SERVER_PULSEAUDIO;
  return HUTCH_SOUND_SERVER_UNKNOWN;
}

const char *
hutch_pulse_server(HutchPulse *pulse)
{
  return pulse->server;
}

void
hutch_pulse_server_info(HutchPulse *pulse, const char **name, const char **version)
{
  *name = pulse->name;
  *version = pulse->name_version;
}

void
hutch_pulse_cookie(HutchPulse *pulse, guint8 cookie[HUTCH_PULSE_COOKIE_LENGTH])
{
  hutch_pulse_read_cookie(pulse->cookie_file, cookie);
}
