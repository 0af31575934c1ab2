/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The login secret, the session cookie and the CSRF token (panel-auth.h). */
#include "panel-auth.h"
#include "panel.h"
#include <glib/gstdio.h>

gboolean
hutch_panel_session_init(HutchPanel *panel, GError **error)
{
  panel->secret = hutch_panel_token_new(error);
  return panel->secret != NULL;
}

char *
hutch_panel_login_url(HutchPanel *panel)
{
  return g_strdup_printf("%s/login?s=%s", panel->origin, panel->secret);
}

static char *
request_cookie(HutchPanelRequest *req)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers(req->msg);
  return hutch_panel_cookie(soup_message_headers_get_one(h, "Cookie"), req->panel->cookie_name);
}

gboolean
hutch_panel_has_session(HutchPanelRequest *req)
{
  g_autofree char *cookie = request_cookie(req);
  return hutch_panel_token_equal(cookie, req->panel->session);
}

static gboolean
start_session(HutchPanel *panel)
{
  panel->session = hutch_panel_token_new(NULL);
  panel->csrf = hutch_panel_token_new(NULL);
  return panel->session && panel->csrf;
}

/* After the login, a page of the panel's own that moves on to the table.
 * Not a redirect: a browser opened on the xdg-open page (a file://
 * address) or by another program comes from another site, and a redirect
 * is part of that same cross-site navigation, which carries no
 * SameSite=Strict cookie; the refresh below starts a new navigation from
 * the panel itself, which does. (A refresh, as the CSP allows no inline
 * script.) */
static void
enter_panel(HutchPanelRequest *req)
{
  g_autoptr(GString) page =
      g_string_new("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta http-equiv=\"refresh\" content=\"0;url=/\">\n<title>hutch panel</title>\n"
                   "</head>\n<body>\n<p><a href=\"/\">Logged in: open the hutch panel</a></p>\n"
                   "</body>\n</html>\n");
  hutch_panel_respond(req, SOUP_STATUS_OK, "text/html; charset=utf-8", page);
}

/* The secret is good once: a copy that leaked (a shell's history, another
 * user's `ps` of the browser's command line) is worth nothing after. A
 * browser that already has the session just goes on. */
void
hutch_panel_login(HutchPanelRequest *req)
{
  HutchPanel *panel = req->panel;
  if (hutch_panel_has_session(req)) {
    hutch_panel_redirect(req, "/");
    return;
  }
  if (!hutch_panel_token_equal(hutch_panel_query(req, "s"), panel->secret) ||
      !start_session(panel)) {
    hutch_panel_error_page(req, SOUP_STATUS_FORBIDDEN, "This link does not log in",
                           "The address hutch panel printed works once, in one browser. Run "
                           "hutch panel again for a new one.");
    return;
  }
  g_clear_pointer(&panel->secret, g_free);
  if (panel->redirect_file)
    g_unlink(panel->redirect_file);
  g_autofree char *cookie = g_strdup_printf("%s=%s; Path=/; HttpOnly; SameSite=Strict",
                                            panel->cookie_name, panel->session);
  soup_message_headers_append(soup_server_message_get_response_headers(req->msg), "Set-Cookie",
                              cookie);
  enter_panel(req);
  g_print("hutch panel: logged in\n");
}

gboolean
hutch_panel_post_allowed(HutchPanelRequest *req, const char **why)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers(req->msg);
  if (!hutch_panel_origin_ok(soup_message_headers_get_one(h, "Origin"), req->panel->port)) {
    *why = "refused: wrong or missing Origin";
    return FALSE;
  }
  const char *token = soup_message_headers_get_one(h, "X-Hutch-CSRF");
  if (!token)
    token = hutch_panel_form(req, "csrf");
  if (!hutch_panel_token_equal(token, req->panel->csrf)) {
    *why = "refused: wrong or missing CSRF token";
    return FALSE;
  }
  return TRUE;
}
