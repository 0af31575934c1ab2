/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target for the audio relay's framing and filter
 * (desktop/pulse-conn.c, pulse-filter.c): arbitrary bytes from the app,
 * interleaved with bytes from the server, exactly as the relay feeds them.
 * Beyond no crash, leak or hang, it checks what comes out against rules
 * written apart from the filter: only allowlisted commands reach the
 * server, AUTH first, with the user's cookie and no shared-memory flags,
 * tags going up, no shared-memory frames; the app receives whole frames.
 *
 * Input: byte 0 bit 0 grants the microphone; then chunks, each a byte
 * (bit 7: from the server, bits 0-6: length - 1) and that many bytes.
 * Built with -Dfuzz=true and clang; see tests/fuzz/test-audio-fuzz.sh. */
#include "pulse-conn.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const guint8 cookie[HUTCH_PULSE_COOKIE_LENGTH] = {0xc0, 0x0c, 0x1e};

/* Commands that may reach the server, from the filter's documentation. */
static gboolean
may_pass(guint32 cmd, gboolean record)
{
  static const guint8 allowed[] = {3,  4,  6,  8,  9,  10, 11, 12, 13, 14, 20, 21, 22, 23, 24, 27,
                                   29, 31, 35, 37, 41, 42, 43, 46, 47, 49, 50, 57, 58, 59, 60, 67,
                                   68, 69, 72, 73, 74, 75, 80, 81, 82, 83, 84, 85, 88, 89, 98, 99};
  if (cmd == 5)
    return record;
  for (gsize i = 0; i < sizeof(allowed); i++)
    if (allowed[i] == cmd)
      return TRUE;
  return FALSE;
}

static guint32
be32(const guint8 *p)
{
  guint32 v;
  memcpy(&v, p, 4);
  return GUINT32_FROM_BE(v);
}

/* Walk the whole frames in OUT; abort on one that breaks the rules. */
static void
check_to_server(const GByteArray *out, gboolean record)
{
  gsize at = 0;
  gboolean first = TRUE, tagged = FALSE;
  guint32 last_tag = 0;
  while (out->len - at >= 20) {
    guint32 len = be32(out->data + at), channel = be32(out->data + at + 4);
    guint32 flags = be32(out->data + at + 16);
    if (len == 0 || len > 16u * 1024 * 1024)
      abort();
    if (channel != G_MAXUINT32) {
      if (first || (flags & ~0xffu) || (flags & 0xff) > 3)
        abort(); /* audio before AUTH, or in shared memory */
    } else {
      /* the first 15 bytes of every control packet: L command, L tag, ... */
      if (flags || len < 10 || out->len - at - 20 < 10)
        abort();
      const guint8 *p = out->data + at + 20;
      if (p[0] != 'L' || p[5] != 'L')
        abort();
      guint32 cmd = be32(p + 1), tag = be32(p + 6);
      if (!may_pass(cmd, record) || (first && cmd != 8) || (!first && cmd == 8))
        abort();
      if (tagged && tag <= last_tag)
        abort();
      tagged = TRUE, last_tag = tag;
      if (cmd == 8 && (len != 276 || out->len - at < 20 + 276 ||
                       (be32(p + 11) & 0xffff0000u) != 0 || memcmp(p + 20, cookie, 256) != 0))
        abort();
      first = FALSE;
    }
    if (out->len - at - 20 < len)
      break; /* the last frame may be partial */
    at += 20 + len;
  }
}

/* What reaches the app: the server's frames and the relay's errors, never
 * one cut into another. */
static void
check_to_client(const GByteArray *out)
{
  gsize at = 0;
  while (out->len - at >= 20) {
    guint32 len = be32(out->data + at), channel = be32(out->data + at + 4);
    guint32 flags = be32(out->data + at + 16);
    if (len == 0 || len > 16u * 1024 * 1024 || (channel == G_MAXUINT32 && flags) ||
        (channel != G_MAXUINT32 && (flags & ~0xffu)))
      abort();
    if (out->len - at - 20 < len)
      break;
    at += 20 + len;
  }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 1)
    return 0;
  gboolean record = data[0] & 1;
  g_autoptr(HutchPulseConn) conn = hutch_pulse_conn_new(cookie, record);
  g_autoptr(GByteArray) to_server = g_byte_array_new();
  g_autoptr(GByteArray) to_client = g_byte_array_new();
  gboolean client_ok = TRUE, server_ok = TRUE;
  for (size_t at = 1; at < size && client_ok && server_ok;) {
    gboolean from_server = data[at] & 0x80;
    size_t len = MIN((size_t)(data[at] & 0x7f) + 1, size - at - 1);
    at++;
    if (from_server)
      server_ok = hutch_pulse_conn_from_server(conn, data + at, len, to_client);
    else
      client_ok = hutch_pulse_conn_from_client(conn, data + at, len, to_server, to_client);
    at += len;
  }
  check_to_server(to_server, record);
  check_to_client(to_client);
  return 0;
}
