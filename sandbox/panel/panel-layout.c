/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The frame around every page, and the pages that only say something. */
#include "html.h"
#include "json.h"
#include "panel.h"

static const struct {
  const char *id, *path, *label;
} sections[] = {
    {"sandboxes", "/", "Sandboxes"},
    {"launch", "/launch", "Launch"},
    {"profiles", "/profiles", "Profiles"},
    {"images", "/images", "Images"},
};

static void
head(GString *page, const char *title, const char *csrf)
{
  hutch_html(page,
             "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
             NULL);
  if (csrf)
    hutch_html(page, "<meta name=\"csrf-token\" content=\"%s\">\n", csrf);
  hutch_html(page,
             "<title>%s \xe2\x80\x94 hutch panel</title>\n"
             "<link rel=\"stylesheet\" href=\"/static/panel.css\">\n"
             "<script src=\"/static/panel.js\" defer></script>\n</head>\n<body>\n",
             title);
}

GString *
hutch_panel_page_begin(HutchPanelRequest *req, const char *title, const char *section)
{
  GString *page = g_string_new(NULL);
  head(page, title, req->panel->csrf);
  hutch_html(page, "<a class=\"skip\" href=\"#main\">Skip to the content</a>\n"
                   "<header><span class=\"brand\">hutch</span>\n"
                   "<nav aria-label=\"Sections\"><ul>\n");
  for (gsize i = 0; i < G_N_ELEMENTS(sections); i++)
    hutch_html(page, "<li><a href=\"%s\"%H>%s</a></li>\n", sections[i].path,
               g_strcmp0(section, sections[i].id) == 0 ? " aria-current=\"page\"" : "",
               sections[i].label);
  hutch_html(page,
             "</ul></nav></header>\n<main id=\"main\">\n<h1>%s</h1>\n"
             "<p id=\"status\" role=\"status\" aria-live=\"polite\"></p>\n",
             title);
  return page;
}

void
hutch_panel_page_end(HutchPanelRequest *req, GString *page)
{
  g_string_append(page, "</main>\n</body>\n</html>\n");
  hutch_panel_respond(req, SOUP_STATUS_OK, "text/html; charset=utf-8", page);
  g_string_free(page, TRUE);
}

/* Also for strangers (no session): no navigation, no token. */
void
hutch_panel_error_page(HutchPanelRequest *req, guint status, const char *title, const char *message)
{
  g_autoptr(GString) page = g_string_new(NULL);
  head(page, title, NULL);
  hutch_html(page,
             "<main id=\"main\">\n<h1>%s</h1>\n<p class=\"error\">%s</p>\n</main>\n"
             "</body>\n</html>\n",
             title, message);
  hutch_panel_respond(req, status, "text/html; charset=utf-8", page);
}

void
hutch_panel_action_result(HutchPanelRequest *req, gboolean ok, const char *message,
                          const char *back)
{
  guint status = ok ? SOUP_STATUS_OK : SOUP_STATUS_UNPROCESSABLE_ENTITY;
  if (req->wants_json) {
    g_autoptr(GString) body = g_string_new(NULL);
    HutchJson j;
    hutch_json_init(&j, body);
    hutch_json_begin_object(&j, NULL);
    hutch_json_bool(&j, "ok", ok);
    hutch_json_string(&j, "message", message);
    hutch_json_string(&j, "location", back);
    hutch_json_end_object(&j);
    hutch_panel_respond(req, status, "application/json", body);
    return;
  }
  GString *page = hutch_panel_page_begin(req, ok ? "Done" : "Not done", NULL);
  hutch_html(page, "<p class=\"%s\">%s</p>\n<p><a href=\"%s\">Back</a></p>\n", ok ? "ok" : "error",
             message, back ? back : "/");
  hutch_panel_page_end(req, page);
  soup_server_message_set_status(req->msg, status, NULL);
}

void
hutch_panel_form_begin(GString *page, HutchPanelRequest *req, const char *action, const char *cls)
{
  hutch_html(page,
             "<form method=\"post\" action=\"%s\" class=\"%s\">"
             "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
             action, cls ? cls : "", req->panel->csrf);
}

char *
hutch_panel_path(const char *prefix, const char *name, const char *suffix)
{
  g_autofree char *seg = g_uri_escape_string(name, NULL, FALSE);
  return g_strconcat(prefix, seg, suffix ? suffix : "", NULL);
}
