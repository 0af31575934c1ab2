/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* desktop/pulse-conn.c and pulse-filter.c: the audio relay's framing and
 * policy, fed packets as an app and a server would send them. */
#include "pulse-conn.h"
#include "pulse-filter.h"
#include "pulse-tagstruct.h"
#include <string.h>

enum {
  ERROR = 0,
  REPLY = 2,
  CREATE_PLAYBACK_STREAM = 3,
  DELETE_PLAYBACK_STREAM = 4,
  CREATE_RECORD_STREAM = 5,
  EXIT = 7,
  AUTH = 8,
  PLAY_SAMPLE = 18,
  GET_SERVER_INFO = 20,
  SET_SINK_INPUT_VOLUME = 37,
  SET_DEFAULT_SINK = 44,
  LOAD_MODULE = 51,
  MOVE_SINK_INPUT = 67,
};

typedef struct {
  HutchPulseConn *conn;
  GByteArray *to_server, *to_client;
  guint8 cookie[HUTCH_PULSE_COOKIE_LENGTH];
} Fixture;

static void
fixture_init(Fixture *f, gboolean record)
{
  memset(f->cookie, 0xc0, sizeof(f->cookie));
  f->conn = hutch_pulse_conn_new(f->cookie, record);
  f->to_server = g_byte_array_new();
  f->to_client = g_byte_array_new();
}

static void
fixture_clear(Fixture *f)
{
  hutch_pulse_conn_free(f->conn);
  g_byte_array_unref(f->to_server);
  g_byte_array_unref(f->to_client);
}

static void
put_descriptor(GByteArray *out, guint32 len, guint32 channel, guint32 flags)
{
  guint32 d[5] = {GUINT32_TO_BE(len), GUINT32_TO_BE(channel), 0, 0, GUINT32_TO_BE(flags)};
  g_byte_array_append(out, (const guint8 *)d, sizeof(d));
}

/* A control frame: COMMAND, TAG, then the u32 arguments, then PAD bytes
 * of an arbitrary value (a long argument the filter need not read). */
static GByteArray *
command(guint32 cmd, guint32 tag, const guint32 *args, guint n_args, guint pad)
{
  HutchTagWriter w;
  hutch_tag_writer_init(&w);
  hutch_tag_put_u32(&w, cmd);
  hutch_tag_put_u32(&w, tag);
  for (guint i = 0; i < n_args; i++)
    hutch_tag_put_u32(&w, args[i]);
  if (pad) {
    g_autofree guint8 *junk = g_malloc0(pad);
    hutch_tag_put_arbitrary(&w, junk, pad);
  }
  GByteArray *frame = g_byte_array_new();
  put_descriptor(frame, w.data->len, G_MAXUINT32, 0);
  g_byte_array_append(frame, w.data->data, w.data->len);
  g_byte_array_unref(w.data);
  return frame;
}

static GByteArray *
auth(guint32 version)
{
  HutchTagWriter w;
  hutch_tag_writer_init(&w);
  hutch_tag_put_u32(&w, AUTH);
  hutch_tag_put_u32(&w, 0);
  hutch_tag_put_u32(&w, version);
  guint8 app_cookie[HUTCH_PULSE_COOKIE_LENGTH];
  memset(app_cookie, 0x11, sizeof(app_cookie));
  hutch_tag_put_arbitrary(&w, app_cookie, sizeof(app_cookie));
  GByteArray *frame = g_byte_array_new();
  put_descriptor(frame, w.data->len, G_MAXUINT32, 0);
  g_byte_array_append(frame, w.data->data, w.data->len);
  g_byte_array_unref(w.data);
  return frame;
}

/* Feed FRAME as the app, one byte at a time when TRICKLE. */
static gboolean
from_app(Fixture *f, GByteArray *frame, gboolean trickle)
{
  gboolean ok = TRUE;
  if (trickle)
    for (guint i = 0; i < frame->len && ok; i++)
      ok = hutch_pulse_conn_from_client(f->conn, frame->data + i, 1, f->to_server, f->to_client);
  else
    ok = hutch_pulse_conn_from_client(f->conn, frame->data, frame->len, f->to_server, f->to_client);
  g_byte_array_unref(frame);
  return ok;
}

static gboolean
from_server(Fixture *f, GByteArray *frame)
{
  gboolean ok = hutch_pulse_conn_from_server(f->conn, frame->data, frame->len, f->to_client);
  g_byte_array_unref(frame);
  return ok;
}

static guint32
u32_at(const GByteArray *a, guint at)
{
  guint32 be;
  g_assert_cmpuint(at + 4, <=, a->len);
  memcpy(&be, a->data + at, 4);
  return GUINT32_FROM_BE(be);
}

/* TO_CLIENT holds exactly one error frame: for TAG, with CODE. */
static void
assert_error(Fixture *f, guint32 tag, guint32 code)
{
  g_assert_cmpuint(f->to_client->len, ==, 20 + 15);
  g_assert_cmpuint(u32_at(f->to_client, 1 * 4), ==, G_MAXUINT32);
  g_assert_cmpuint(u32_at(f->to_client, 20 + 1), ==, ERROR);
  g_assert_cmpuint(u32_at(f->to_client, 20 + 6), ==, tag);
  g_assert_cmpuint(u32_at(f->to_client, 20 + 11), ==, code);
  g_byte_array_set_size(f->to_client, 0);
}

static void
authenticate(Fixture *f)
{
  g_assert_true(from_app(f, auth(35 | 0x80000000u | 0x40000000u), FALSE));
  g_byte_array_set_size(f->to_server, 0);
}

static void
test_auth_gets_the_users_cookie_and_no_shared_memory(void)
{
  Fixture f;
  /* Anything before AUTH is refused. */
  fixture_init(&f, FALSE);
  g_assert_true(from_app(&f, command(GET_SERVER_INFO, 1, NULL, 0, 0), FALSE));
  assert_error(&f, 1, HUTCH_PULSE_ERR_ACCESS);
  g_assert_cmpuint(f.to_server->len, ==, 0);
  fixture_clear(&f);

  fixture_init(&f, FALSE);
  g_assert_true(from_app(&f, auth(35 | 0x80000000u | 0x40000000u), TRUE));
  g_assert_cmpuint(f.to_server->len, ==, HUTCH_PULSE_AUTH_FRAME);
  g_assert_cmpuint(u32_at(f.to_server, 20 + 11), ==, 35); /* flags cleared */
  g_assert_cmpmem(f.to_server->data + 40, HUTCH_PULSE_COOKIE_LENGTH, f.cookie, sizeof(f.cookie));
  g_assert_cmpuint(f.to_client->len, ==, 0);
  /* A second AUTH is refused. */
  GByteArray *again = auth(35);
  memcpy(again->data + 26, "\0\0\0\x09", 4); /* tag 9 */
  g_assert_true(from_app(&f, again, FALSE));
  assert_error(&f, 9, HUTCH_PULSE_ERR_ACCESS);
  fixture_clear(&f);

  /* Protocol versions before flags existed could not refuse shared memory. */
  fixture_init(&f, FALSE);
  g_assert_true(from_app(&f, auth(12), FALSE));
  assert_error(&f, 0, HUTCH_PULSE_ERR_VERSION);
  g_assert_cmpuint(f.to_server->len, ==, 0);
  fixture_clear(&f);
}

static void
test_refused_commands_are_answered_and_dropped(void)
{
  Fixture f;
  fixture_init(&f, FALSE);
  authenticate(&f);
  guint32 sink[] = {0};
  /* A long LOAD_MODULE, fed a byte at a time: nothing of it passes. */
  g_assert_true(from_app(&f, command(LOAD_MODULE, 1, NULL, 0, 4000), TRUE));
  assert_error(&f, 1, HUTCH_PULSE_ERR_ACCESS);
  g_assert_true(from_app(&f, command(SET_DEFAULT_SINK, 2, sink, 1, 0), FALSE));
  assert_error(&f, 2, HUTCH_PULSE_ERR_ACCESS);
  g_assert_true(from_app(&f, command(EXIT, 3, NULL, 0, 0), FALSE));
  assert_error(&f, 3, HUTCH_PULSE_ERR_ACCESS);
  g_assert_true(from_app(&f, command(200, 4, NULL, 0, 0), FALSE));
  assert_error(&f, 4, HUTCH_PULSE_ERR_ACCESS);
  /* The sample cache looks empty, so event sounds get streamed instead. */
  g_assert_true(from_app(&f, command(PLAY_SAMPLE, 5, sink, 1, 20), FALSE));
  assert_error(&f, 5, HUTCH_PULSE_ERR_NOENTITY);
  g_assert_cmpuint(f.to_server->len, ==, 0);
  /* and the stream goes on: the next command passes whole */
  g_assert_true(from_app(&f, command(GET_SERVER_INFO, 6, NULL, 0, 600), TRUE));
  g_assert_cmpuint(f.to_server->len, ==, 20 + 10 + 5 + 600);
  g_assert_cmpuint(f.to_client->len, ==, 0);
  fixture_clear(&f);
}

static void
test_only_own_streams_are_touched(void)
{
  Fixture f;
  fixture_init(&f, FALSE);
  authenticate(&f);
  guint32 volume7[] = {7, 0};
  g_assert_true(from_app(&f, command(SET_SINK_INPUT_VOLUME, 1, volume7, 2, 0), FALSE));
  assert_error(&f, 1, HUTCH_PULSE_ERR_ACCESS);
  g_assert_true(from_app(&f, command(CREATE_PLAYBACK_STREAM, 2, NULL, 0, 100), FALSE));
  g_byte_array_set_size(f.to_server, 0);
  /* The server's reply: channel 0, sink input 7, missing bytes. */
  guint32 created[] = {0, 7, 4096};
  g_assert_true(from_server(&f, command(REPLY, 2, created, 3, 0)));
  g_byte_array_set_size(f.to_client, 0);
  g_assert_true(from_app(&f, command(SET_SINK_INPUT_VOLUME, 3, volume7, 2, 0), FALSE));
  g_assert_cmpuint(f.to_server->len, >, 0);
  g_assert_cmpuint(f.to_client->len, ==, 0);
  g_byte_array_set_size(f.to_server, 0);
  guint32 move8[] = {8, 0};
  g_assert_true(from_app(&f, command(MOVE_SINK_INPUT, 4, move8, 2, 0), FALSE));
  assert_error(&f, 4, HUTCH_PULSE_ERR_ACCESS);
  /* Deleted: the index is no longer the app's. */
  guint32 channel0[] = {0};
  g_assert_true(from_app(&f, command(DELETE_PLAYBACK_STREAM, 5, channel0, 1, 0), FALSE));
  g_byte_array_set_size(f.to_server, 0);
  g_assert_true(from_app(&f, command(SET_SINK_INPUT_VOLUME, 6, volume7, 2, 0), FALSE));
  assert_error(&f, 6, HUTCH_PULSE_ERR_ACCESS);
  g_assert_cmpuint(f.to_server->len, ==, 0);
  fixture_clear(&f);
}

static void
test_recording_needs_the_microphone(void)
{
  for (int record = 0; record < 2; record++) {
    Fixture f;
    fixture_init(&f, record);
    authenticate(&f);
    g_assert_true(from_app(&f, command(CREATE_RECORD_STREAM, 1, NULL, 0, 50), FALSE));
    if (record) {
      g_assert_cmpuint(f.to_server->len, ==, 20 + 10 + 5 + 50);
      g_assert_cmpuint(f.to_client->len, ==, 0);
    } else {
      assert_error(&f, 1, HUTCH_PULSE_ERR_ACCESS);
      g_assert_cmpuint(f.to_server->len, ==, 0);
    }
    fixture_clear(&f);
  }
}

static void
test_protocol_breaks_close_the_connection(void)
{
  Fixture f;
  /* tags must go up */
  fixture_init(&f, FALSE);
  authenticate(&f);
  g_assert_true(from_app(&f, command(GET_SERVER_INFO, 5, NULL, 0, 0), FALSE));
  g_assert_false(from_app(&f, command(GET_SERVER_INFO, 5, NULL, 0, 0), FALSE));
  fixture_clear(&f);
  /* replies are the server's */
  fixture_init(&f, FALSE);
  authenticate(&f);
  g_assert_false(from_app(&f, command(REPLY, 1, NULL, 0, 0), FALSE));
  fixture_clear(&f);
  /* audio in shared memory, audio before AUTH, an empty frame */
  guint32 flags[] = {0x80000000u, 0, 0};
  for (guint i = 0; i < G_N_ELEMENTS(flags); i++) {
    fixture_init(&f, FALSE);
    if (i != 1)
      authenticate(&f);
    GByteArray *frame = g_byte_array_new();
    put_descriptor(frame, i == 2 ? 0 : 4, 0, flags[i]);
    g_byte_array_append(frame, (const guint8 *)"\0\0\0\0", 4);
    g_assert_false(from_app(&f, frame, FALSE));
    fixture_clear(&f);
  }
  /* a server sending shared memory */
  fixture_init(&f, FALSE);
  GByteArray *frame = g_byte_array_new();
  put_descriptor(frame, 16, 0, 0x80000000u);
  g_assert_false(from_server(&f, frame));
  fixture_clear(&f);
}

static void
test_errors_wait_for_the_servers_frame_to_end(void)
{
  Fixture f;
  fixture_init(&f, FALSE);
  authenticate(&f);
  /* The server's audio frame (8 bytes) arrives half... */
  GByteArray *audio = g_byte_array_new();
  put_descriptor(audio, 8, 0, 0);
  g_byte_array_append(audio, (const guint8 *)"abcdefgh", 8);
  g_assert_true(hutch_pulse_conn_from_server(f.conn, audio->data, 24, f.to_client));
  g_assert_cmpuint(f.to_client->len, ==, 24);
  /* ...when a refusal is due: it waits for the rest. */
  g_assert_true(from_app(&f, command(LOAD_MODULE, 1, NULL, 0, 0), FALSE));
  g_assert_cmpuint(f.to_client->len, ==, 24);
  g_assert_true(hutch_pulse_conn_from_server(f.conn, audio->data + 24, 4, f.to_client));
  g_assert_cmpmem(f.to_client->data, 28, audio->data, 28);
  g_byte_array_remove_range(f.to_client, 0, 28);
  assert_error(&f, 1, HUTCH_PULSE_ERR_ACCESS);
  g_byte_array_unref(audio);
  fixture_clear(&f);
}

static void
test_description_follows_the_microphone(void)
{
  g_autofree char *without = hutch_pulse_filter_describe(FALSE);
  g_autofree char *with = hutch_pulse_filter_describe(TRUE);
  g_assert_nonnull(strstr(without, "recording (needs the microphone permission)"));
  g_assert_nonnull(strstr(with, "playing its own streams and recording"));
  g_assert_nonnull(strstr(with, "loading and unloading modules"));
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/pulse-filter/auth", test_auth_gets_the_users_cookie_and_no_shared_memory);
  g_test_add_func("/pulse-filter/refused", test_refused_commands_are_answered_and_dropped);
  g_test_add_func("/pulse-filter/own-streams", test_only_own_streams_are_touched);
  g_test_add_func("/pulse-filter/microphone", test_recording_needs_the_microphone);
  g_test_add_func("/pulse-filter/breaks", test_protocol_breaks_close_the_connection);
  g_test_add_func("/pulse-filter/held-errors", test_errors_wait_for_the_servers_frame_to_end);
  g_test_add_func("/pulse-filter/describe", test_description_follows_the_microphone);
  return g_test_run();
}
