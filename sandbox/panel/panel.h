/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch panel: a local web panel on the same library as the CLI.
 *
 *   panel-main.c     options, start, Ctrl-C and idle exit, the browser
 *   panel-server.c   the listening socket (127.0.0.1 only), the peer's uid,
 *                    the checks of panel-auth.h, routing
 *   panel-request.c  what a page reads from a request and how it answers
 *   panel-session.c  the one-time login secret and the session
 *   panel-layout.c   the page frame, error and result pages
 *   panel-stream.c   server-sent events (the live table, job progress)
 *   panel-work.c     library calls that block (stop, freeze, destroy) on
 *                    worker threads, the request paused meanwhile
 *   page-*.c         the pages: sandboxes, launch, profiles, images and jobs
 *
 * Everything runs on the main loop's thread except the work of
 * panel-work.c and the image builds of page-images.c, which hand their
 * results back to it. */
#pragma once
#include <glib.h>
#include <libsoup/soup.h>

typedef struct HutchPanelJob HutchPanelJob;

typedef struct {
  guint port;
  char *host;          /* "127.0.0.1:PORT": the one Host header accepted */
  char *origin;        /* "http://127.0.0.1:PORT" */
  char *cookie_name;   /* "hutch_session_PORT": cookies are shared by every port */
  char *secret;        /* the login secret; NULL once used */
  char *session;       /* the session cookie's value; NULL before login */
  char *csrf;          /* the session's token for state-changing requests */
  char *hutch;         /* the hutch binary, for `hutch run --detach` */
  char *redirect_file; /* the page that sends a browser to the login URL */
  SoupServer *server;
  GSocketService *service;
  GMainLoop *loop;
  guint idle_timeout_s; /* 0: never */
  gint64 last_activity; /* monotonic, microseconds */
  guint busy;           /* requests paused for work, and jobs running */
  guint streams;        /* event streams open: someone is looking */
  gboolean stopping;
  GPtrArray *table_streams; /* HutchPanelStream*: the live sandbox table */
  guint table_tick;         /* the source refreshing them; 0 when none listens */
  guint table_soon;         /* a refresh after an action, queued */
  GHashTable *jobs;         /* id (string) -> HutchPanelJob* */
  guint next_job;
} HutchPanel;

/* One request being answered. */
typedef struct {
  HutchPanel *panel;
  SoupServerMessage *msg;
  char **args;         /* the path's variable segments, decoded */
  GHashTable *query;   /* may be NULL */
  GHashTable *form;    /* a POST's fields; NULL for GET */
  gboolean wants_json; /* a fetch from panel.js rather than a plain form */
  gboolean held;       /* paused for work; answered later */
} HutchPanelRequest;

/* panel-server.c */
gboolean hutch_panel_listen(HutchPanel *panel, guint port, GError **error);

/* panel-request.c */
void hutch_panel_note_activity(HutchPanel *panel);
HutchPanelRequest *hutch_panel_request_new(HutchPanel *panel, SoupServerMessage *msg,
                                           GHashTable *query);
void hutch_panel_request_free(HutchPanelRequest *req);
/* Pause REQ for work that answers it later (then hutch_panel_request_done). */
void hutch_panel_request_hold(HutchPanelRequest *req);
void hutch_panel_request_done(HutchPanelRequest *req);
const char *hutch_panel_form(HutchPanelRequest *req, const char *field);
const char *hutch_panel_query(HutchPanelRequest *req, const char *field);
void hutch_panel_respond(HutchPanelRequest *req, guint status, const char *type, GString *body);
void hutch_panel_redirect(HutchPanelRequest *req, const char *location);

/* panel-session.c */
gboolean hutch_panel_session_init(HutchPanel *panel, GError **error);
char *hutch_panel_login_url(HutchPanel *panel);
/* Trade the secret in ?s= for the session cookie, once. */
void hutch_panel_login(HutchPanelRequest *req);
gboolean hutch_panel_has_session(HutchPanelRequest *req);
/* The CSRF token and Origin of a state-changing request; WHY says what failed. */
gboolean hutch_panel_post_allowed(HutchPanelRequest *req, const char **why);

/* panel-layout.c */
GString *hutch_panel_page_begin(HutchPanelRequest *req, const char *title, const char *section);
void hutch_panel_page_end(HutchPanelRequest *req, GString *page);
void hutch_panel_error_page(HutchPanelRequest *req, guint status, const char *title,
                            const char *message);
/* Answer an action: JSON {ok, message, location} for panel.js, else a page
 * with MESSAGE and a link to BACK. */
void hutch_panel_action_result(HutchPanelRequest *req, gboolean ok, const char *message,
                               const char *back);
/* "<form method=post action=ACTION>" with the session's CSRF token inside;
 * CLASS "action" makes panel.js send it with fetch and say the result. */
void hutch_panel_form_begin(GString *page, HutchPanelRequest *req, const char *action,
                            const char *cls);
/* PREFIX, then NAME percent-encoded as a path segment, then SUFFIX. */
char *hutch_panel_path(const char *prefix, const char *name, const char *suffix);

/* panel-stream.c */
typedef struct HutchPanelStream HutchPanelStream;
typedef void (*HutchPanelStreamGone)(HutchPanelStream *stream, gpointer data);
/* Answer REQ with an open text/event-stream; GONE runs when the client leaves. */
HutchPanelStream *hutch_panel_stream_open(HutchPanelRequest *req, HutchPanelStreamGone gone,
                                          gpointer data);
void hutch_panel_stream_send(HutchPanelStream *stream, const char *event, const char *data);
void hutch_panel_stream_close(HutchPanelStream *stream);

/* panel-work.c: run FN(REQ, DATA) on a worker thread; DONE(REQ, DATA,
 * ERROR) then runs on the main thread with FN's error, REQ held meanwhile. */
typedef gboolean (*HutchPanelWorkFn)(gpointer data, GError **error);
typedef void (*HutchPanelWorkDone)(HutchPanelRequest *req, gpointer data, const GError *error);
void hutch_panel_work(HutchPanelRequest *req, HutchPanelWorkFn fn, HutchPanelWorkDone done,
                      gpointer data, GDestroyNotify data_free);

/* The pages (page-*.c). */
void hutch_panel_page_sandboxes(HutchPanelRequest *req);
void hutch_panel_events_sandboxes(HutchPanelRequest *req);
void hutch_panel_page_sandbox(HutchPanelRequest *req);
void hutch_panel_action_sandbox(HutchPanelRequest *req);
void hutch_panel_page_launch(HutchPanelRequest *req);
void hutch_panel_action_launch(HutchPanelRequest *req);
void hutch_panel_page_profiles(HutchPanelRequest *req);
void hutch_panel_page_profile(HutchPanelRequest *req);
void hutch_panel_page_images(HutchPanelRequest *req);
void hutch_panel_action_image_create(HutchPanelRequest *req);
void hutch_panel_page_image_destroy(HutchPanelRequest *req);
void hutch_panel_action_image_destroy(HutchPanelRequest *req);
void hutch_panel_page_job(HutchPanelRequest *req);
void hutch_panel_events_job(HutchPanelRequest *req);
void hutch_panel_action_job_cancel(HutchPanelRequest *req);
void hutch_panel_static(HutchPanelRequest *req);
void hutch_panel_favicon(HutchPanelRequest *req);
/* Stop every job (image builds) and wait for them: the panel is exiting. */
void hutch_panel_jobs_cancel_all(HutchPanel *panel);
/* Send the sandbox table to its streams soon (an action changed it). */
void hutch_panel_table_refresh(HutchPanel *panel);
