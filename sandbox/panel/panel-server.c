/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The listening socket, the checks every request passes (panel-auth.h),
 * and routing to the pages. */
#include "error.h"
#include "panel-auth.h"
#include "panel.h"
#include "peer-uid.h"
#include <string.h>
#include <unistd.h>

/* A form is a few fields; nothing the panel takes is larger. */
#define MAX_BODY (256 * 1024)

typedef void (*Handler)(HutchPanelRequest *req);

typedef struct {
  const char *method;
  const char *pattern; /* '*' matches one path segment */
  Handler fn;
  gboolean open; /* needs no session: logging in, and what holds no secret */
} Route;

static const Route routes[] = {
    {"GET", "/", hutch_panel_page_sandboxes},
    {"GET", "/login", hutch_panel_login, TRUE},
    {"GET", "/events", hutch_panel_events_sandboxes},
    {"GET", "/sandbox/*", hutch_panel_page_sandbox},
    {"POST", "/sandbox/*/*", hutch_panel_action_sandbox},
    {"GET", "/launch", hutch_panel_page_launch},
    {"POST", "/launch", hutch_panel_action_launch},
    {"GET", "/profiles", hutch_panel_page_profiles},
    {"GET", "/profiles/*", hutch_panel_page_profile},
    {"GET", "/images", hutch_panel_page_images},
    {"POST", "/images", hutch_panel_action_image_create},
    {"GET", "/images/*/destroy", hutch_panel_page_image_destroy},
    {"POST", "/images/*/destroy", hutch_panel_action_image_destroy},
    {"GET", "/jobs/*", hutch_panel_page_job},
    {"GET", "/jobs/*/events", hutch_panel_events_job},
    {"POST", "/jobs/*/cancel", hutch_panel_action_job_cancel},
    {"GET", "/static/*", hutch_panel_static, TRUE},
    {"GET", "/favicon.ico", hutch_panel_favicon, TRUE},
    {NULL, NULL, NULL, FALSE},
};

/* --- connections -------------------------------------------------------- */

static gboolean
native_address(GSocketAddress *address, struct sockaddr_in *out)
{
  return address && g_socket_address_get_family(address) == G_SOCKET_FAMILY_IPV4 &&
         g_socket_address_to_native(address, out, sizeof(*out), NULL);
}

/* Only the user's own sockets get in (peer-uid.h); where the kernel does
 * not say, nobody does. */
static gboolean
peer_allowed(GSocketConnection *conn, GSocketAddress *local, GSocketAddress *remote)
{
  struct sockaddr_in self, peer;
  uid_t uid;
  if (!native_address(local, &self) || !native_address(remote, &peer) ||
      !hutch_peer_uid(&peer, &self, &uid)) {
    g_printerr("hutch panel: refused a connection whose owner /proc/net/tcp does not show\n");
    return FALSE;
  }
  if (uid != getuid()) {
    g_printerr("hutch panel: refused a connection from uid %u (only uid %u may connect)\n",
               (unsigned)uid, (unsigned)getuid());
    return FALSE;
  }
  return TRUE;
}

static gboolean
on_incoming(GSocketService *service, GSocketConnection *conn, GObject *source, gpointer data)
{
  HutchPanel *panel = data;
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address(conn, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address(conn, NULL);
  if (panel->stopping || !peer_allowed(conn, local, remote)) {
    g_io_stream_close(G_IO_STREAM(conn), NULL, NULL);
    return TRUE;
  }
  hutch_panel_note_activity(panel);
  soup_server_accept_iostream(panel->server, G_IO_STREAM(conn), local, remote, NULL);
  return TRUE;
}

static void dispatch(SoupServer *server, SoupServerMessage *msg, const char *path,
                     GHashTable *query, gpointer data);

gboolean
hutch_panel_listen(HutchPanel *panel, guint port, GError **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new(loopback, (guint16)port);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) local_error = NULL;
  panel->service = g_socket_service_new();
  if (!g_socket_listener_add_address(G_SOCKET_LISTENER(panel->service), address,
                                     G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &bound,
                                     &local_error)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot listen on 127.0.0.1:%u: %s%s", port,
                local_error->message,
                port ? " (choose another --port, or leave it out for a free one)" : "");
    return FALSE;
  }
  panel->port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
  panel->host = g_strdup_printf("127.0.0.1:%u", panel->port);
  panel->origin = g_strdup_printf("http://127.0.0.1:%u", panel->port);
  panel->cookie_name = g_strdup_printf("hutch_session_%u", panel->port);
  panel->server = soup_server_new("server-header", "hutch-panel", NULL);
  soup_server_add_handler(panel->server, NULL, dispatch, panel, NULL);
  g_signal_connect(panel->service, "incoming", G_CALLBACK(on_incoming), panel);
  g_socket_service_start(panel->service);
  return TRUE;
}

/* --- requests ----------------------------------------------------------- */

static void
respond_text(HutchPanelRequest *req, guint status, const char *text)
{
  g_autoptr(GString) body = g_string_new(text);
  g_string_append_c(body, '\n');
  hutch_panel_respond(req, status, "text/plain; charset=utf-8", body);
}

/* What every answer carries: no script, style or frame from elsewhere, no
 * caching, no Referer (the first URL holds the secret). And "Connection:
 * close": libsoup keeps a connection open for the next request only when
 * it runs the listening socket itself, and here the panel does (to check
 * the peer's uid before libsoup reads a byte); saying so lets the client
 * open a new connection instead of reusing one that is about to close. */
static void
common_headers(SoupServerMessage *msg)
{
  SoupMessageHeaders *h = soup_server_message_get_response_headers(msg);
  soup_message_headers_replace(h, "Connection", "close");
  soup_message_headers_replace(h, "Content-Security-Policy",
                               "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "img-src 'self'; connect-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'");
  soup_message_headers_replace(h, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace(h, "X-Frame-Options", "DENY");
  soup_message_headers_replace(h, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace(h, "Cache-Control", "no-store");
}

/* PATH's segments after the first '/', each percent-decoded; NULL when one
 * decodes to something with a '/' or a NUL. */
static char **
path_segments(const char *path)
{
  g_auto(GStrv) raw = g_strsplit(path[0] == '/' ? path + 1 : path, "/", -1);
  GPtrArray *segs = g_ptr_array_new_with_free_func(g_free);
  for (char **r = raw; *r; r++) {
    char *seg = g_uri_unescape_string(*r, "/");
    if (!seg) {
      g_ptr_array_unref(segs);
      return NULL;
    }
    g_ptr_array_add(segs, seg);
  }
  g_ptr_array_add(segs, NULL);
  char **out = (char **)g_ptr_array_steal(segs, NULL);
  g_ptr_array_unref(segs);
  return out;
}

/* Does ROUTE's pattern match SEGS? *ARGS gets the segments '*' matched. */
static gboolean
route_matches(const Route *route, char **segs, char ***args)
{
  g_auto(GStrv) pat = g_strsplit(route->pattern + 1, "/", -1);
  if (g_strv_length(pat) != g_strv_length(segs))
    return FALSE;
  GPtrArray *found = g_ptr_array_new();
  for (guint i = 0; pat[i]; i++) {
    if (g_str_equal(pat[i], "*") && *segs[i]) {
      g_ptr_array_add(found, g_strdup(segs[i]));
    } else if (!g_str_equal(pat[i], segs[i])) {
      g_ptr_array_free(found, TRUE);
      return FALSE;
    }
  }
  g_ptr_array_add(found, NULL);
  *args = (char **)g_ptr_array_free(found, FALSE);
  return TRUE;
}

/* The route for METHOD and PATH; *WRONG_METHOD when only another method's matches. */
static const Route *
find_route(const char *method, const char *path, char ***args, gboolean *wrong_method)
{
  *wrong_method = FALSE;
  g_auto(GStrv) segs = path_segments(path);
  if (!segs)
    return NULL;
  if (g_str_equal(method, "HEAD"))
    method = "GET";
  for (const Route *r = routes; r->method; r++) {
    char **found = NULL;
    if (!route_matches(r, segs, &found))
      continue;
    if (g_str_equal(r->method, method)) {
      g_strfreev(*args);
      *args = found;
      return r;
    }
    g_strfreev(found);
    *wrong_method = TRUE;
  }
  return NULL;
}

static gboolean
read_form(HutchPanelRequest *req)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers(req->msg);
  const char *type = soup_message_headers_get_content_type(h, NULL);
  SoupMessageBody *body = soup_server_message_get_request_body(req->msg);
  if (g_strcmp0(type, "application/x-www-form-urlencoded") != 0 || body->length > MAX_BODY)
    return FALSE;
  g_autoptr(GBytes) bytes = soup_message_body_flatten(body);
  gsize len;
  const char *data = g_bytes_get_data(bytes, &len);
  g_autofree char *text = g_strndup(data ? data : "", len);
  req->form = soup_form_decode(text);
  return TRUE;
}

static gboolean
wants_json(SoupServerMessage *msg)
{
  const char *accept =
      soup_message_headers_get_one(soup_server_message_get_request_headers(msg), "Accept");
  return accept && strstr(accept, "application/json");
}

/* Refuse with as little said as possible: the refused may be a stranger. */
static gboolean
checks_pass(HutchPanelRequest *req, const Route *route)
{
  HutchPanel *panel = req->panel;
  SoupMessageHeaders *h = soup_server_message_get_request_headers(req->msg);
  if (!hutch_panel_host_ok(soup_message_headers_get_one(h, "Host"), panel->port)) {
    respond_text(req, SOUP_STATUS_FORBIDDEN, "refused: wrong Host");
    return FALSE;
  }
  if (route->open)
    return TRUE;
  if (!hutch_panel_has_session(req)) {
    hutch_panel_error_page(req, SOUP_STATUS_FORBIDDEN, "Not logged in",
                           "Open the address hutch panel printed when it started, in this "
                           "browser. It works once; run hutch panel again for a new one.");
    return FALSE;
  }
  if (!g_str_equal(route->method, "POST"))
    return TRUE;
  const char *why;
  if (!read_form(req)) {
    respond_text(req, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "refused: send a form");
    return FALSE;
  }
  if (!hutch_panel_post_allowed(req, &why)) {
    respond_text(req, SOUP_STATUS_FORBIDDEN, why);
    return FALSE;
  }
  return TRUE;
}

static void
dispatch(SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
         gpointer data)
{
  HutchPanel *panel = data;
  hutch_panel_note_activity(panel);
  common_headers(msg);
  HutchPanelRequest *req = hutch_panel_request_new(panel, msg, query);
  req->wants_json = wants_json(msg);
  gboolean wrong_method;
  const Route *route =
      find_route(soup_server_message_get_method(msg), path, &req->args, &wrong_method);
  if (!route)
    respond_text(req, wrong_method ? SOUP_STATUS_METHOD_NOT_ALLOWED : SOUP_STATUS_NOT_FOUND,
                 wrong_method ? "method not allowed" : "not found");
  else if (checks_pass(req, route))
    route->fn(req);
  if (!req->held)
    hutch_panel_request_free(req);
}
