/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The audio relay's policy: an allowlist of the native protocol's commands.
 *
 * A sound server trusts every client of its user with everything: loading
 * a module runs code inside the server (module-ladspa-sink loads any
 * library), and defaults, other clients' streams and the server's own
 * settings are one command away. A sandboxed app gets what playback (and,
 * with the microphone permission, recording) needs:
 * - commands on its own connection's channels (write, drain, cork, flush,
 *   latency, buffer settings, names and properties): the server checks that
 *   a channel is this connection's, so they pass;
 * - commands naming a stream or client by its server-wide index (volume,
 *   mute, move, kill, info): only for the streams this connection created
 *   and its own client, learned from the server's replies;
 * - information about the server, sinks, sources and cards, and
 *   subscriptions to events;
 * - every other command is refused with "access denied" under the
 *   request's tag, so the app sees an error instead of waiting forever.
 *
 * Replies are matched to requests by tag; apps number them upward (libpulse
 * counts from 0), and the filter insists, so no two requests in flight
 * share a tag and no reply can pass for another's. AUTH is rewritten: the
 * user's cookie replaces whatever the app sent (the sandbox never sees
 * it), and the version's flags that offer shared memory and memfd are
 * cleared, so the server sends every byte through the relay. */
#include "pulse-filter.h"
#include "pulse-tagstruct.h"
#include <string.h>

enum {
  CMD_ERROR = 0,
  CMD_REPLY = 2,
  CMD_CREATE_PLAYBACK_STREAM = 3,
  CMD_DELETE_PLAYBACK_STREAM = 4,
  CMD_CREATE_RECORD_STREAM = 5,
  CMD_DELETE_RECORD_STREAM = 6,
  CMD_AUTH = 8,
  CMD_SET_CLIENT_NAME = 9,
  CMD_LOOKUP_SINK = 10,
  CMD_LOOKUP_SOURCE = 11,
  CMD_DRAIN_PLAYBACK_STREAM = 12,
  CMD_STAT = 13,
  CMD_GET_PLAYBACK_LATENCY = 14,
  CMD_PLAY_SAMPLE = 18,
  CMD_GET_SERVER_INFO = 20,
  CMD_GET_SINK_INFO = 21,
  CMD_GET_SINK_INFO_LIST = 22,
  CMD_GET_SOURCE_INFO = 23,
  CMD_GET_SOURCE_INFO_LIST = 24,
  CMD_GET_CLIENT_INFO = 27,
  CMD_GET_SINK_INPUT_INFO = 29,
  CMD_GET_SOURCE_OUTPUT_INFO = 31,
  CMD_SUBSCRIBE = 35,
  CMD_SET_SINK_INPUT_VOLUME = 37,
  CMD_CORK_PLAYBACK_STREAM = 41,
  CMD_FLUSH_PLAYBACK_STREAM = 42,
  CMD_TRIGGER_PLAYBACK_STREAM = 43,
  CMD_SET_PLAYBACK_STREAM_NAME = 46,
  CMD_SET_RECORD_STREAM_NAME = 47,
  CMD_KILL_SINK_INPUT = 49,
  CMD_KILL_SOURCE_OUTPUT = 50,
  CMD_GET_RECORD_LATENCY = 57,
  CMD_CORK_RECORD_STREAM = 58,
  CMD_FLUSH_RECORD_STREAM = 59,
  CMD_PREBUF_PLAYBACK_STREAM = 60,
  CMD_PLAYBACK_STREAM_KILLED = 64,
  CMD_RECORD_STREAM_KILLED = 65,
  CMD_MOVE_SINK_INPUT = 67,
  CMD_MOVE_SOURCE_OUTPUT = 68,
  CMD_SET_SINK_INPUT_MUTE = 69,
  CMD_SET_PLAYBACK_STREAM_BUFFER_ATTR = 72,
  CMD_SET_RECORD_STREAM_BUFFER_ATTR = 73,
  CMD_UPDATE_PLAYBACK_STREAM_SAMPLE_RATE = 74,
  CMD_UPDATE_RECORD_STREAM_SAMPLE_RATE = 75,
  CMD_UPDATE_RECORD_STREAM_PROPLIST = 80,
  CMD_UPDATE_PLAYBACK_STREAM_PROPLIST = 81,
  CMD_UPDATE_CLIENT_PROPLIST = 82,
  CMD_REMOVE_RECORD_STREAM_PROPLIST = 83,
  CMD_REMOVE_PLAYBACK_STREAM_PROPLIST = 84,
  CMD_REMOVE_CLIENT_PROPLIST = 85,
  CMD_GET_CARD_INFO = 88,
  CMD_GET_CARD_INFO_LIST = 89,
  CMD_SET_SOURCE_OUTPUT_VOLUME = 98,
  CMD_SET_SOURCE_OUTPUT_MUTE = 99,
  CMD_MAX = 105,
};

#define VERSION_MASK 0xffffu /* the high bits of AUTH's version are flags */
#define MIN_VERSION 13       /* PulseAudio 0.9.11: flags exist, so SHM can be refused */
#define MAX_STREAMS 64
#define MAX_PENDING 64
#define NO_INDEX G_MAXUINT32

typedef enum {
  REFUSE = 0, /* every command not listed */
  PASS,
  AUTH,
  CLIENT_NAME,     /* the reply names the app's client */
  CREATE_PLAYBACK, /* the reply names the new stream */
  CREATE_RECORD,   /* the same, with the microphone permission */
  DELETE_PLAYBACK,
  DELETE_RECORD,
  OWN_SINK_INPUT, /* the first argument is one of the app's playback streams */
  OWN_SOURCE_OUTPUT,
  OWN_CLIENT,
  NO_SAMPLE, /* the sample cache is the user's: as if empty to the app */
} Rule;

static const Rule rules[CMD_MAX] = {
    [CMD_AUTH] = AUTH,
    [CMD_SET_CLIENT_NAME] = CLIENT_NAME,
    [CMD_CREATE_PLAYBACK_STREAM] = CREATE_PLAYBACK,
    [CMD_DELETE_PLAYBACK_STREAM] = DELETE_PLAYBACK,
    [CMD_CREATE_RECORD_STREAM] = CREATE_RECORD,
    [CMD_DELETE_RECORD_STREAM] = DELETE_RECORD,
    /* the connection's own channels and client */
    [CMD_DRAIN_PLAYBACK_STREAM] = PASS,
    [CMD_GET_PLAYBACK_LATENCY] = PASS,
    [CMD_CORK_PLAYBACK_STREAM] = PASS,
    [CMD_FLUSH_PLAYBACK_STREAM] = PASS,
    [CMD_TRIGGER_PLAYBACK_STREAM] = PASS,
    [CMD_PREBUF_PLAYBACK_STREAM] = PASS,
    [CMD_SET_PLAYBACK_STREAM_NAME] = PASS,
    [CMD_SET_PLAYBACK_STREAM_BUFFER_ATTR] = PASS,
    [CMD_UPDATE_PLAYBACK_STREAM_SAMPLE_RATE] = PASS,
    [CMD_UPDATE_PLAYBACK_STREAM_PROPLIST] = PASS,
    [CMD_REMOVE_PLAYBACK_STREAM_PROPLIST] = PASS,
    [CMD_GET_RECORD_LATENCY] = PASS,
    [CMD_CORK_RECORD_STREAM] = PASS,
    [CMD_FLUSH_RECORD_STREAM] = PASS,
    [CMD_SET_RECORD_STREAM_NAME] = PASS,
    [CMD_SET_RECORD_STREAM_BUFFER_ATTR] = PASS,
    [CMD_UPDATE_RECORD_STREAM_SAMPLE_RATE] = PASS,
    [CMD_UPDATE_RECORD_STREAM_PROPLIST] = PASS,
    [CMD_REMOVE_RECORD_STREAM_PROPLIST] = PASS,
    [CMD_UPDATE_CLIENT_PROPLIST] = PASS,
    [CMD_REMOVE_CLIENT_PROPLIST] = PASS,
    /* information */
    [CMD_GET_SERVER_INFO] = PASS,
    [CMD_STAT] = PASS,
    [CMD_LOOKUP_SINK] = PASS,
    [CMD_LOOKUP_SOURCE] = PASS,
    [CMD_GET_SINK_INFO] = PASS,
    [CMD_GET_SINK_INFO_LIST] = PASS,
    [CMD_GET_SOURCE_INFO] = PASS,
    [CMD_GET_SOURCE_INFO_LIST] = PASS,
    [CMD_GET_CARD_INFO] = PASS,
    [CMD_GET_CARD_INFO_LIST] = PASS,
    [CMD_SUBSCRIBE] = PASS,
    /* the app's own streams and client, by server-wide index */
    [CMD_GET_SINK_INPUT_INFO] = OWN_SINK_INPUT,
    [CMD_SET_SINK_INPUT_VOLUME] = OWN_SINK_INPUT,
    [CMD_SET_SINK_INPUT_MUTE] = OWN_SINK_INPUT,
    [CMD_MOVE_SINK_INPUT] = OWN_SINK_INPUT,
    [CMD_KILL_SINK_INPUT] = OWN_SINK_INPUT,
    [CMD_GET_SOURCE_OUTPUT_INFO] = OWN_SOURCE_OUTPUT,
    [CMD_SET_SOURCE_OUTPUT_VOLUME] = OWN_SOURCE_OUTPUT,
    [CMD_SET_SOURCE_OUTPUT_MUTE] = OWN_SOURCE_OUTPUT,
    [CMD_MOVE_SOURCE_OUTPUT] = OWN_SOURCE_OUTPUT,
    [CMD_KILL_SOURCE_OUTPUT] = OWN_SOURCE_OUTPUT,
    [CMD_GET_CLIENT_INFO] = OWN_CLIENT,
    /* "no such sample": event-sound libraries (libcanberra) then stream
     * the sound themselves */
    [CMD_PLAY_SAMPLE] = NO_SAMPLE,
};

typedef struct {
  guint32 channel; /* the connection's own number for it */
  guint32 index;   /* the server-wide sink input or source output */
  gboolean record;
} Stream;

typedef struct {
  guint32 tag;
  Rule rule;
} Pending;

struct HutchPulseFilter {
  guint8 cookie[HUTCH_PULSE_COOKIE_LENGTH];
  gboolean allow_record;
  gboolean authenticated;
  gboolean tagged; /* last_tag is set */
  guint32 last_tag;
  guint32 client_index;
  GArray *streams; /* Stream */
  GArray *pending; /* Pending: requests whose replies name something */
};

HutchPulseFilter *
hutch_pulse_filter_new(const guint8 cookie[HUTCH_PULSE_COOKIE_LENGTH], gboolean allow_record)
{
  HutchPulseFilter *f = g_new0(HutchPulseFilter, 1);
  memcpy(f->cookie, cookie, sizeof(f->cookie));
  f->allow_record = allow_record;
  f->client_index = NO_INDEX;
  f->streams = g_array_new(FALSE, FALSE, sizeof(Stream));
  f->pending = g_array_new(FALSE, FALSE, sizeof(Pending));
  return f;
}

void
hutch_pulse_filter_free(HutchPulseFilter *f)
{
  if (!f)
    return;
  g_array_unref(f->streams);
  g_array_unref(f->pending);
  g_free(f);
}

gboolean
hutch_pulse_filter_authenticated(const HutchPulseFilter *f)
{
  return f->authenticated;
}

static gboolean
owns(const HutchPulseFilter *f, guint32 index, gboolean record)
{
  for (guint i = 0; i < f->streams->len; i++) {
    const Stream *s = &g_array_index(f->streams, Stream, i);
    if (s->index == index && s->record == record)
      return TRUE;
  }
  return FALSE;
}

static void
forget_channel(HutchPulseFilter *f, guint32 channel, gboolean record)
{
  for (guint i = 0; i < f->streams->len; i++) {
    const Stream *s = &g_array_index(f->streams, Stream, i);
    if (s->channel == channel && s->record == record) {
      g_array_remove_index_fast(f->streams, i);
      return;
    }
  }
}

/* AUTH: version, then a 256-byte cookie, and nothing else (the server
 * insists on that too), so the packet has one length and one layout. */
static HutchPulseVerdict
rewrite_auth(HutchPulseFilter *f, guint8 *head, gsize len, guint32 *code)
{
  /* command and tag (5 bytes each), version (5), cookie tag and length (5) */
  enum { VERSION_AT = 11, COOKIE_AT = 20 };
  guint32 be, cookie_len;
  if (len != HUTCH_PULSE_FILTER_HEAD || head[VERSION_AT - 1] != 'L' || head[COOKIE_AT - 5] != 'x')
    return HUTCH_PULSE_BREAK;
  memcpy(&be, head + COOKIE_AT - 4, 4);
  cookie_len = GUINT32_FROM_BE(be);
  if (cookie_len != HUTCH_PULSE_COOKIE_LENGTH)
    return HUTCH_PULSE_BREAK;
  memcpy(&be, head + VERSION_AT, 4);
  guint32 version = GUINT32_FROM_BE(be) & VERSION_MASK;
  if (version < MIN_VERSION) {
    *code = HUTCH_PULSE_ERR_VERSION;
    return HUTCH_PULSE_REFUSE;
  }
  be = GUINT32_TO_BE(version);
  memcpy(head + VERSION_AT, &be, 4);
  memcpy(head + COOKIE_AT, f->cookie, HUTCH_PULSE_COOKIE_LENGTH);
  f->authenticated = TRUE;
  return HUTCH_PULSE_PASS;
}

/* Remember a request whose reply names something of the app's. */
static gboolean
expect_reply(HutchPulseFilter *f, guint32 tag, Rule rule)
{
  if (f->pending->len >= MAX_PENDING)
    return FALSE;
  Pending p = {tag, rule};
  g_array_append_val(f->pending, p);
  return TRUE;
}

static HutchPulseVerdict
decide(HutchPulseFilter *f, Rule rule, HutchTagReader *args, guint8 *head, gsize len, guint32 tag,
       guint32 *code)
{
  guint32 first;
  switch (rule) {
  case AUTH:
    return f->authenticated ? HUTCH_PULSE_REFUSE : rewrite_auth(f, head, len, code);
  case PASS:
    return HUTCH_PULSE_PASS;
  case CREATE_RECORD:
    if (!f->allow_record)
      return HUTCH_PULSE_REFUSE;
    /* fall through */
  case CLIENT_NAME:
  case CREATE_PLAYBACK:
    if (rule != CLIENT_NAME && f->streams->len >= MAX_STREAMS)
      return HUTCH_PULSE_REFUSE;
    return expect_reply(f, tag, rule) ? HUTCH_PULSE_PASS : HUTCH_PULSE_REFUSE;
  case DELETE_PLAYBACK:
  case DELETE_RECORD:
    /* The index may go to another client's stream once this one is gone
     * (pipewire-pulse reuses them): forget it now. */
    if (hutch_tag_get_u32(args, &first))
      forget_channel(f, first, rule == DELETE_RECORD);
    return HUTCH_PULSE_PASS;
  case OWN_SINK_INPUT:
  case OWN_SOURCE_OUTPUT:
    return hutch_tag_get_u32(args, &first) && owns(f, first, rule == OWN_SOURCE_OUTPUT)
               ? HUTCH_PULSE_PASS
               : HUTCH_PULSE_REFUSE;
  case OWN_CLIENT:
    return hutch_tag_get_u32(args, &first) && first != NO_INDEX && first == f->client_index
               ? HUTCH_PULSE_PASS
               : HUTCH_PULSE_REFUSE;
  case NO_SAMPLE:
    *code = HUTCH_PULSE_ERR_NOENTITY;
    return HUTCH_PULSE_REFUSE;
  case REFUSE:
    break;
  }
  return HUTCH_PULSE_REFUSE;
}

HutchPulseVerdict
hutch_pulse_filter_client(HutchPulseFilter *f, guint8 *head, gsize len, gsize whole, guint32 *tag,
                          guint32 *code)
{
  HutchTagReader r = {head, head + len};
  guint32 command;
  if (!hutch_tag_get_u32(&r, &command) || !hutch_tag_get_u32(&r, tag))
    return HUTCH_PULSE_BREAK;
  /* Replies are the server's to send; tags only go up. */
  if (command == CMD_ERROR || command == CMD_REPLY || (f->tagged && *tag <= f->last_tag))
    return HUTCH_PULSE_BREAK;
  f->tagged = TRUE;
  f->last_tag = *tag;
  *code = HUTCH_PULSE_ERR_ACCESS;
  Rule rule = command < CMD_MAX ? rules[command] : REFUSE;
  if (rule == AUTH && whole != len)
    return HUTCH_PULSE_BREAK;
  HutchPulseVerdict verdict = !f->authenticated && rule != AUTH
                                  ? HUTCH_PULSE_REFUSE
                                  : decide(f, rule, &r, head, len, *tag, code);
  if (verdict == HUTCH_PULSE_REFUSE)
    g_debug("audio relay: refused command %u of the sandbox's", command);
  return verdict;
}

static void
take_reply(HutchPulseFilter *f, const Pending *p, HutchTagReader *r)
{
  guint32 a, b;
  if (!hutch_tag_get_u32(r, &a))
    return;
  if (p->rule == CLIENT_NAME) {
    f->client_index = a;
    return;
  }
  /* CREATE_*: the channel, then the sink input or source output */
  if (!hutch_tag_get_u32(r, &b) || b == NO_INDEX)
    return;
  gboolean record = p->rule == CREATE_RECORD;
  forget_channel(f, a, record);
  Stream s = {a, b, record};
  g_array_append_val(f->streams, s);
}

void
hutch_pulse_filter_server(HutchPulseFilter *f, const guint8 *head, gsize len)
{
  HutchTagReader r = {head, head + len};
  guint32 command, tag, channel;
  if (!hutch_tag_get_u32(&r, &command) || !hutch_tag_get_u32(&r, &tag))
    return;
  if (command == CMD_PLAYBACK_STREAM_KILLED || command == CMD_RECORD_STREAM_KILLED) {
    if (hutch_tag_get_u32(&r, &channel))
      forget_channel(f, channel, command == CMD_RECORD_STREAM_KILLED);
    return;
  }
  if (command != CMD_REPLY && command != CMD_ERROR)
    return;
  for (guint i = 0; i < f->pending->len; i++) {
    Pending p = g_array_index(f->pending, Pending, i);
    if (p.tag != tag)
      continue;
    g_array_remove_index_fast(f->pending, i);
    if (command == CMD_REPLY)
      take_reply(f, &p, &r);
    return;
  }
}

char *
hutch_pulse_filter_describe(gboolean allow_record)
{
  return g_strdup_printf(
      "allowed: playing its own streams%s; volume, mute, move and end of its own streams "
      "only; information on the server, sinks, sources and cards; event subscriptions\n"
      "refused: %sloading and unloading modules, default sink and source, other clients "
      "and their streams, sink, source, port and card settings, the sample cache, "
      "extensions, shutting the server down\n"
      "no shared memory: every byte passes the relay; the user's cookie stays outside",
      allow_record ? " and recording" : "",
      allow_record ? "" : "recording (needs the microphone permission), ");
}
