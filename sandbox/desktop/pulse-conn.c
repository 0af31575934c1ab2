/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The native protocol's framing, both ways, for one relayed connection.
 *
 * A frame is a 20-byte descriptor (length, channel, offset high and low,
 * flags; big-endian) and LENGTH bytes. Channel -1 is a control packet (a
 * tagstruct: command, tag, arguments), any other channel audio for one of
 * the connection's streams. Audio streams through as it arrives; of a
 * control packet only its head (pulse-filter.h) is held until the filter
 * has decided, and the rest streams after it, or is dropped when the
 * command is refused. So memory stays bounded whatever the app sends.
 *
 * Errors that answer refused commands are frames of their own in the
 * server-to-app direction: they go out only between the server's frames,
 * held back while one is half sent. The flags that carry shared-memory
 * blocks are a protocol break either way, as the server itself treats
 * them when shared memory is off. */
#include "pulse-conn.h"
#include "pulse-filter.h"
#include <string.h>

#define DESCRIPTOR 20
#define FRAME_MAX (16u * 1024 * 1024) /* the server's own limit */
#define CONTROL_CHANNEL G_MAXUINT32
#define SEEK_MASK 0xffu
#define SEEK_MAX 3 /* PA_SEEK_RELATIVE_END */

typedef struct {
  guint8 desc[DESCRIPTOR];
  guint desc_got;
  guint8 head[HUTCH_PULSE_FILTER_HEAD];
  guint head_need, head_got;
  guint32 length;
  gboolean control;
  guint32 rest;  /* bytes of the frame still to stream or drop */
  gboolean drop; /* a refused command: the rest goes nowhere */
  gboolean open; /* part of the frame went out: nothing may come between */
} Framer;

struct HutchPulseConn {
  HutchPulseFilter *filter;
  Framer client, server;
  GByteArray *held; /* errors for the app, waiting for the server's frame to end */
};

HutchPulseConn *
hutch_pulse_conn_new(const guint8 cookie[HUTCH_PULSE_COOKIE_LENGTH], gboolean allow_record)
{
  HutchPulseConn *c = g_new0(HutchPulseConn, 1);
  c->filter = hutch_pulse_filter_new(cookie, allow_record);
  c->held = g_byte_array_new();
  return c;
}

void
hutch_pulse_conn_free(HutchPulseConn *c)
{
  if (!c)
    return;
  hutch_pulse_filter_free(c->filter);
  g_byte_array_unref(c->held);
  g_free(c);
}

static guint32
desc_field(const Framer *f, int i)
{
  guint32 be;
  memcpy(&be, f->desc + 4 * i, 4);
  return GUINT32_FROM_BE(be);
}

/* The descriptor is complete: is it one the server would take? */
static gboolean
begin_frame(Framer *f)
{
  f->length = desc_field(f, 0);
  guint32 channel = desc_field(f, 1), flags = desc_field(f, 4);
  if (f->length == 0 || f->length > FRAME_MAX)
    return FALSE;
  f->control = channel == CONTROL_CHANNEL;
  if (f->control ? flags != 0 : (flags & ~SEEK_MASK) != 0 || (flags & SEEK_MASK) > SEEK_MAX)
    return FALSE;
  f->head_need = f->control ? MIN(f->length, HUTCH_PULSE_FILTER_HEAD) : 0;
  f->head_got = 0;
  f->rest = f->length - f->head_need;
  f->drop = FALSE;
  return TRUE;
}

static void
end_frame(Framer *f)
{
  f->desc_got = 0;
  f->open = FALSE;
}

static void
put_error(GByteArray *out, guint32 tag, guint32 code)
{
  /* ERROR, the tag, the code: three 'L' values */
  guint8 frame[DESCRIPTOR + 15];
  guint32 desc[5] = {GUINT32_TO_BE(15), GUINT32_TO_BE(CONTROL_CHANNEL), 0, 0, 0};
  memcpy(frame, desc, DESCRIPTOR);
  guint32 values[3] = {0, tag, code};
  for (int i = 0; i < 3; i++) {
    guint32 be = GUINT32_TO_BE(values[i]);
    frame[DESCRIPTOR + 5 * i] = 'L';
    memcpy(frame + DESCRIPTOR + 5 * i + 1, &be, 4);
  }
  g_byte_array_append(out, frame, sizeof(frame));
}

/* The app's command is whole enough to decide on. */
static gboolean
decide_client(HutchPulseConn *c, GByteArray *to_server, GByteArray *to_client)
{
  Framer *f = &c->client;
  guint32 tag = 0, code = 0;
  switch (hutch_pulse_filter_client(c->filter, f->head, f->head_got, f->length, &tag, &code)) {
  case HUTCH_PULSE_PASS:
    g_byte_array_append(to_server, f->desc, DESCRIPTOR);
    g_byte_array_append(to_server, f->head, f->head_got);
    f->open = TRUE;
    return TRUE;
  case HUTCH_PULSE_REFUSE:
    put_error(c->server.open ? c->held : to_client, tag, code);
    f->drop = TRUE;
    return TRUE;
  case HUTCH_PULSE_BREAK:
    break;
  }
  return FALSE;
}

static void
decide_server(HutchPulseConn *c, GByteArray *to_client)
{
  Framer *f = &c->server;
  hutch_pulse_filter_server(c->filter, f->head, f->head_got);
  g_byte_array_append(to_client, f->desc, DESCRIPTOR);
  g_byte_array_append(to_client, f->head, f->head_got);
  f->open = TRUE;
}

/* Feed LEN bytes through F, one direction. */
static gboolean
feed(HutchPulseConn *c, Framer *f, gboolean from_client, const guint8 *data, gsize len,
     GByteArray *out, GByteArray *to_client)
{
  while (len > 0) {
    gsize n;
    if (f->desc_got < DESCRIPTOR) {
      n = MIN(len, DESCRIPTOR - f->desc_got);
      memcpy(f->desc + f->desc_got, data, n);
      f->desc_got += n;
      data += n, len -= n;
      if (f->desc_got < DESCRIPTOR)
        break;
      if (!begin_frame(f))
        return FALSE;
      if (!f->control) {
        /* Audio, which only an authenticated app may send. */
        if (from_client && !hutch_pulse_filter_authenticated(c->filter))
          return FALSE;
        g_byte_array_append(out, f->desc, DESCRIPTOR);
        f->open = TRUE;
      }
    } else if (f->head_got < f->head_need) {
      n = MIN(len, f->head_need - f->head_got);
      memcpy(f->head + f->head_got, data, n);
      f->head_got += n;
      data += n, len -= n;
      if (f->head_got < f->head_need)
        break;
      if (!from_client)
        decide_server(c, out);
      else if (!decide_client(c, out, to_client))
        return FALSE;
    } else {
      n = MIN(len, f->rest);
      if (!f->drop)
        g_byte_array_append(out, data, n);
      f->rest -= n;
      data += n, len -= n;
    }
    if (f->desc_got == DESCRIPTOR && f->head_got == f->head_need && f->rest == 0) {
      end_frame(f);
      if (!from_client && c->held->len) {
        g_byte_array_append(to_client, c->held->data, c->held->len);
        g_byte_array_set_size(c->held, 0);
      }
    }
  }
  return TRUE;
}

gboolean
hutch_pulse_conn_from_client(HutchPulseConn *c, const guint8 *data, gsize len,
                             GByteArray *to_server, GByteArray *to_client)
{
  return feed(c, &c->client, TRUE, data, len, to_server, to_client);
}

gboolean
hutch_pulse_conn_from_server(HutchPulseConn *c, const guint8 *data, gsize len,
                             GByteArray *to_client)
{
  return feed(c, &c->server, FALSE, data, len, to_client, to_client);
}

gsize
hutch_pulse_conn_held(const HutchPulseConn *c)
{
  return c->held->len;
}
