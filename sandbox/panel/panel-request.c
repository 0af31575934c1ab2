/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One request: what the pages read from it, how they answer, and holding
 * it paused while work on another thread goes on. */
#include "panel.h"

void
hutch_panel_note_activity(HutchPanel *panel)
{
  panel->last_activity = g_get_monotonic_time();
}

static void
on_finished(SoupServerMessage *msg, gpointer data)
{
  g_object_set_data(G_OBJECT(msg), "hutch-gone", GINT_TO_POINTER(TRUE));
}

HutchPanelRequest *
hutch_panel_request_new(HutchPanel *panel, SoupServerMessage *msg, GHashTable *query)
{
  HutchPanelRequest *req = g_new0(HutchPanelRequest, 1);
  req->panel = panel;
  req->msg = g_object_ref(msg);
  req->query = query ? g_hash_table_ref(query) : NULL;
  g_object_set_data(G_OBJECT(msg), "hutch-gone", GINT_TO_POINTER(FALSE));
  g_signal_connect(msg, "finished", G_CALLBACK(on_finished), NULL);
  return req;
}

void
hutch_panel_request_free(HutchPanelRequest *req)
{
  g_object_unref(req->msg);
  g_strfreev(req->args);
  if (req->query)
    g_hash_table_unref(req->query);
  if (req->form)
    g_hash_table_unref(req->form);
  g_free(req);
}

void
hutch_panel_request_hold(HutchPanelRequest *req)
{
  req->held = TRUE;
  req->panel->busy++;
  soup_server_message_pause(req->msg);
}

void
hutch_panel_request_done(HutchPanelRequest *req)
{
  req->panel->busy--;
  hutch_panel_note_activity(req->panel);
  /* A client that left meanwhile has no I/O left to resume. */
  gboolean gone = GPOINTER_TO_INT(g_object_get_data(G_OBJECT(req->msg), "hutch-gone"));
  if (!gone)
    soup_server_message_unpause(req->msg);
  hutch_panel_request_free(req);
}

const char *
hutch_panel_form(HutchPanelRequest *req, const char *field)
{
  return req->form ? g_hash_table_lookup(req->form, field) : NULL;
}

const char *
hutch_panel_query(HutchPanelRequest *req, const char *field)
{
  return req->query ? g_hash_table_lookup(req->query, field) : NULL;
}

void
hutch_panel_respond(HutchPanelRequest *req, guint status, const char *type, GString *body)
{
  soup_server_message_set_status(req->msg, status, NULL);
  soup_server_message_set_response(req->msg, type, SOUP_MEMORY_COPY, body->str, body->len);
}

void
hutch_panel_redirect(HutchPanelRequest *req, const char *location)
{
  soup_server_message_set_redirect(req->msg, SOUP_STATUS_SEE_OTHER, location);
}
