/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Server-sent events: a response that stays open, one chunk per event.
 * libsoup pauses the response when it has written every chunk it has, and
 * each event unpauses it. A client that left shows when the next write
 * fails: the message finishes, and the stream's owner hears it. */
#include "panel.h"

struct HutchPanelStream {
  HutchPanel *panel;
  SoupServerMessage *msg;
  HutchPanelStreamGone gone;
  gpointer data;
  gboolean closed;
};

static void
on_finished(SoupServerMessage *msg, gpointer data)
{
  HutchPanelStream *s = data;
  g_signal_handlers_disconnect_by_data(msg, s);
  s->panel->streams--;
  hutch_panel_note_activity(s->panel);
  if (s->gone)
    s->gone(s, s->data);
  g_object_unref(s->msg);
  g_free(s);
}

static void
append_event(HutchPanelStream *s, const char *event, const char *data)
{
  GString *chunk = g_string_new(NULL);
  if (event)
    g_string_append_printf(chunk, "event: %s\n", event);
  g_auto(GStrv) lines = g_strsplit(data ? data : "", "\n", -1);
  for (char **l = lines; *l; l++)
    g_string_append_printf(chunk, "data: %s\n", *l);
  g_string_append_c(chunk, '\n');
  gsize len = chunk->len;
  soup_message_body_append(soup_server_message_get_response_body(s->msg), SOUP_MEMORY_TAKE,
                           g_string_free(chunk, FALSE), len);
}

HutchPanelStream *
hutch_panel_stream_open(HutchPanelRequest *req, HutchPanelStreamGone gone, gpointer data)
{
  HutchPanelStream *s = g_new0(HutchPanelStream, 1);
  s->panel = req->panel;
  s->msg = g_object_ref(req->msg);
  s->gone = gone;
  s->data = data;
  SoupMessageHeaders *h = soup_server_message_get_response_headers(req->msg);
  soup_message_headers_set_content_type(h, "text/event-stream", NULL);
  soup_message_headers_set_encoding(h, SOUP_ENCODING_CHUNKED);
  /* Written events are dropped, not kept for the life of the stream. */
  soup_message_body_set_accumulate(soup_server_message_get_response_body(req->msg), FALSE);
  soup_server_message_set_status(req->msg, SOUP_STATUS_OK, NULL);
  g_signal_connect(req->msg, "finished", G_CALLBACK(on_finished), s);
  req->panel->streams++;
  /* The first chunk goes out when the handler returns. */
  g_autoptr(GString) hello = g_string_new("retry: 2000\n\n");
  soup_message_body_append(soup_server_message_get_response_body(req->msg), SOUP_MEMORY_COPY,
                           hello->str, hello->len);
  return s;
}

void
hutch_panel_stream_send(HutchPanelStream *s, const char *event, const char *data)
{
  if (s->closed)
    return;
  append_event(s, event, data);
  soup_server_message_unpause(s->msg);
}

void
hutch_panel_stream_close(HutchPanelStream *s)
{
  if (s->closed)
    return;
  s->closed = TRUE;
  soup_message_body_complete(soup_server_message_get_response_body(s->msg));
  soup_server_message_unpause(s->msg);
}
