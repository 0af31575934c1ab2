/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* desktop/pulse-relay.c: the relay's sockets, with a stand-in server on a
 * socket of its own. Megabytes of audio each way while the receiving side
 * does not read at first: flow control holds them back, and every byte
 * arrives, in order; the AUTH packet carries the relay's credentials and
 * the user's cookie; the server sees the app leave. */
#include "pulse-relay.h"
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define AUDIO_FRAME (60 * 1024)
#define FRAMES 80 /* 4.8 MB each way */

static int
listen_at(const char *path)
{
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  g_assert_cmpuint(strlen(path), <, sizeof(addr.sun_path));
  strcpy(addr.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
  g_assert_cmpint(listen(fd, 4), ==, 0);
  return fd;
}

static int
connect_to(const char *path)
{
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  strcpy(addr.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
  return fd;
}

static void
put_descriptor(GByteArray *out, guint32 len, guint32 channel)
{
  guint32 d[5] = {GUINT32_TO_BE(len), GUINT32_TO_BE(channel), 0, 0, 0};
  g_byte_array_append(out, (const guint8 *)d, sizeof(d));
}

/* AUTH (tag 0, version 35 with the shared-memory flag), then the audio. */
static GByteArray *
app_stream(void)
{
  GByteArray *out = g_byte_array_new();
  put_descriptor(out, 276, G_MAXUINT32);
  guint8 auth[276] = {'L', 0, 0, 0, 8, 'L', 0, 0, 0, 0, 'L', 0x80, 0, 0, 35, 'x', 0, 0, 1, 0};
  memset(auth + 20, 0x11, 256);
  g_byte_array_append(out, auth, sizeof(auth));
  g_autofree guint8 *audio = g_malloc(AUDIO_FRAME);
  for (guint i = 0; i < FRAMES; i++) {
    for (guint j = 0; j < AUDIO_FRAME; j++)
      audio[j] = (guint8)(i * 7 + j);
    put_descriptor(out, AUDIO_FRAME, 0);
    g_byte_array_append(out, audio, AUDIO_FRAME);
  }
  return out;
}

static GByteArray *
server_stream(void)
{
  GByteArray *out = g_byte_array_new();
  g_autofree guint8 *audio = g_malloc(AUDIO_FRAME);
  for (guint i = 0; i < FRAMES; i++) {
    for (guint j = 0; j < AUDIO_FRAME; j++)
      audio[j] = (guint8)(i * 13 + j * 3);
    put_descriptor(out, AUDIO_FRAME, 0);
    g_byte_array_append(out, audio, AUDIO_FRAME);
  }
  return out;
}

typedef struct {
  int fd;
  GByteArray *data;
} Writer;

static gpointer
write_all(gpointer p)
{
  Writer *w = p;
  for (gsize at = 0; at < w->data->len;) {
    ssize_t n = send(w->fd, w->data->data + at, w->data->len - at, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    g_assert_cmpint(n, >, 0);
    at += (gsize)n;
  }
  return NULL;
}

static void
read_exactly(int fd, guint8 *buf, gsize len)
{
  for (gsize at = 0; at < len;) {
    ssize_t n = read(fd, buf + at, len - at);
    if (n < 0 && errno == EINTR)
      continue;
    g_assert_cmpint(n, >, 0);
    at += (gsize)n;
  }
}

/* The first read of the server: the AUTH frame, with credentials. */
static void
read_auth(int fd, guint8 *buf, gsize len)
{
  int on = 1;
  g_assert_cmpint(setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)), ==, 0);
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(struct ucred))];
  } control;
  struct iovec iov = {buf, len};
  struct msghdr msg = {.msg_iov = &iov,
                       .msg_iovlen = 1,
                       .msg_control = control.buf,
                       .msg_controllen = sizeof(control.buf)};
  ssize_t n = recvmsg(fd, &msg, MSG_WAITALL);
  g_assert_cmpint(n, ==, (ssize_t)len);
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  if (!c || c->cmsg_type != SCM_CREDENTIALS)
    g_error("the AUTH packet came without credentials");
  struct ucred cred;
  memcpy(&cred, CMSG_DATA(c), sizeof(cred));
  g_assert_cmpuint(cred.uid, ==, getuid());
  g_assert_cmpint(cred.pid, ==, getpid());
}

static void
test_relay_carries_megabytes_both_ways_in_order(void)
{
  g_autofree char *dir = g_dir_make_tmp("hutch-relay-XXXXXX", NULL);
  g_autofree char *server_path = g_build_filename(dir, "server", NULL);
  g_autofree char *socket_path = g_build_filename(dir, "native", NULL);
  guint8 cookie[HUTCH_PULSE_COOKIE_LENGTH];
  memset(cookie, 0xc0, sizeof(cookie));
  int listener = listen_at(server_path);
  g_autoptr(GError) error = NULL;
  HutchPulseRelay *relay = hutch_pulse_relay_start(socket_path, server_path, cookie, FALSE, &error);
  g_assert_no_error(error);

  int app = connect_to(socket_path);
  int server = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
  g_assert_cmpint(server, >=, 0);
  g_autoptr(GByteArray) up = app_stream(), down = server_stream();
  Writer app_writer = {app, up}, server_writer = {server, down};
  GThread *t1 = g_thread_new("app", write_all, &app_writer);
  GThread *t2 = g_thread_new("server", write_all, &server_writer);
  g_usleep(300 * 1000); /* neither reads yet: the relay must hold back */

  g_autofree guint8 *got = g_malloc(up->len);
  read_auth(server, got, 296);
  read_exactly(server, got + 296, up->len - 296);
  /* the cookie replaced, the shared-memory flag cleared, the rest as sent */
  g_assert_cmpmem(got + 40, 256, cookie, 256);
  g_assert_cmpuint(got[31], ==, 0);
  memcpy(got + 31, up->data + 31, 1);
  memcpy(got + 40, up->data + 40, 256);
  g_assert_cmpmem(got, up->len, up->data, up->len);
  g_autofree guint8 *got_down = g_malloc(down->len);
  read_exactly(app, got_down, down->len);
  g_assert_cmpmem(got_down, down->len, down->data, down->len);
  g_thread_join(t1);
  g_thread_join(t2);

  /* the app leaves: so does the relay's connection to the server */
  close(app);
  guint8 byte;
  g_assert_cmpint(read(server, &byte, 1), ==, 0);
  close(server);
  close(listener);
  hutch_pulse_relay_stop(relay);
  g_assert_false(g_file_test(socket_path, G_FILE_TEST_EXISTS));
  g_unlink(server_path);
  g_rmdir(dir);
}

static void
test_relay_refuses_an_existing_socket(void)
{
  g_autofree char *dir = g_dir_make_tmp("hutch-relay-XXXXXX", NULL);
  g_autofree char *path = g_build_filename(dir, "native", NULL);
  g_assert_true(g_file_set_contents(path, "", 0, NULL));
  guint8 cookie[HUTCH_PULSE_COOKIE_LENGTH] = {0};
  g_autoptr(GError) error = NULL;
  g_assert_null(hutch_pulse_relay_start(path, "/nonexistent", cookie, FALSE, &error));
  g_assert_nonnull(strstr(error->message, "cannot listen at"));
  g_assert_true(g_file_test(path, G_FILE_TEST_EXISTS)); /* not ours: left alone */
  g_unlink(path);
  g_rmdir(dir);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/pulse-relay/both-ways", test_relay_carries_megabytes_both_ways_in_order);
  g_test_add_func("/pulse-relay/existing-socket", test_relay_refuses_an_existing_socket);
  return g_test_run();
}
