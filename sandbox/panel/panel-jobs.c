/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Image builds on threads (rootfs/image-create.h), their progress handed
 * to the main thread line by line. The build runs with a cancel fd rather
 * than signals: this process has other threads, and Ctrl-C is the whole
 * panel's (it cancels every job, see hutch_panel_jobs_cancel_all). */
#include "error.h"
#include "html.h"
#include "image-create.h"
#include "json.h"
#include "panel-jobs.h"
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  HutchProgressKind kind;
  char *text;
} Line;

struct HutchPanelJob {
  HutchPanel *panel;
  char *id;
  char *title;
  char *image;
  HutchImageSource source;
  int cancel[2]; /* written to cancel the build */
  GThread *thread;
  GMutex lock;      /* guards lines, finished, ok, message */
  GPtrArray *lines; /* Line* */
  gboolean finished, ok, cancelled;
  char *message;
  gboolean flush_queued;
  /* main thread only */
  GPtrArray *streams; /* HutchPanelStream*: pages watching */
  guint sent;         /* lines the streams have */
  gboolean done_sent;
};

static void
line_free(gpointer p)
{
  Line *l = p;
  g_free(l->text);
  g_free(l);
}

static const char *const kind_names[] = {"step", "info", "output"};

/* --- the main thread's side --------------------------------------------- */

static void
send_line_event(HutchPanelStream *stream, const Line *l)
{
  /* One event per line: a carriage return would start another. */
  g_autofree char *text = g_strdelimit(g_strdup(l->text), "\r", ' ');
  hutch_panel_stream_send(stream, kind_names[l->kind], text);
}

static char *
done_json(HutchPanelJob *job)
{
  GString *out = g_string_new(NULL);
  HutchJson j;
  hutch_json_init(&j, out);
  hutch_json_begin_object(&j, NULL);
  hutch_json_bool(&j, "ok", job->ok);
  hutch_json_string(&j, "state", hutch_panel_job_state(job));
  hutch_json_string(&j, "message", job->message);
  hutch_json_end_object(&j);
  return g_string_free(out, FALSE);
}

/* Send what the streams have not seen; end them once the job is over. */
static gboolean
flush(gpointer data)
{
  HutchPanelJob *job = data;
  g_mutex_lock(&job->lock);
  job->flush_queued = FALSE;
  for (; job->sent < job->lines->len; job->sent++)
    for (guint s = 0; s < job->streams->len; s++)
      send_line_event(job->streams->pdata[s], job->lines->pdata[job->sent]);
  gboolean finished = job->finished;
  g_mutex_unlock(&job->lock);
  if (finished && !job->done_sent) {
    job->done_sent = TRUE;
    if (job->thread)
      g_thread_join(g_steal_pointer(&job->thread));
    job->panel->busy--;
    hutch_panel_note_activity(job->panel);
    g_autofree char *json = done_json(job);
    while (job->streams->len) {
      HutchPanelStream *s = job->streams->pdata[0];
      hutch_panel_stream_send(s, "done", json);
      g_ptr_array_remove_index(job->streams, 0);
      hutch_panel_stream_close(s);
    }
  }
  return G_SOURCE_REMOVE;
}

/* Called with the lock held. */
static void
queue_flush(HutchPanelJob *job)
{
  if (!job->flush_queued) {
    job->flush_queued = TRUE;
    g_idle_add(flush, job);
  }
}

/* --- the build's thread ------------------------------------------------- */

static void
progress(HutchProgressKind kind, const char *text, gpointer data)
{
  HutchPanelJob *job = data;
  Line *l = g_new0(Line, 1);
  l->kind = kind;
  l->text = g_strdup(text);
  g_mutex_lock(&job->lock);
  g_ptr_array_add(job->lines, l);
  queue_flush(job);
  g_mutex_unlock(&job->lock);
}

static gpointer
build_thread(gpointer data)
{
  HutchPanelJob *job = data;
  g_autoptr(GError) error = NULL;
  int sig;
  gboolean ok =
      hutch_image_create(job->image, &job->source, progress, job, job->cancel[0], &sig, &error);
  g_mutex_lock(&job->lock);
  job->finished = TRUE;
  job->ok = ok;
  job->cancelled = !ok && g_error_matches(error, HUTCH_ERROR, HUTCH_ERROR_FAILED) &&
                   g_str_equal(error->message, "cancelled");
  job->message = ok ? g_strdup_printf("Image %s is ready.", job->image) : g_strdup(error->message);
  queue_flush(job);
  g_mutex_unlock(&job->lock);
  return NULL;
}

const char *
hutch_panel_job_start_create(HutchPanel *panel, const char *name, HutchImageSource *source)
{
  HutchPanelJob *job = g_new0(HutchPanelJob, 1);
  job->panel = panel;
  job->id = g_strdup_printf("%u", ++panel->next_job);
  job->title = g_strdup_printf("Create image %s", name);
  job->image = g_strdup(name);
  job->source = *source;
  memset(source, 0, sizeof(*source));
  g_mutex_init(&job->lock);
  job->lines = g_ptr_array_new_with_free_func(line_free);
  job->streams = g_ptr_array_new();
  if (pipe2(job->cancel, O_CLOEXEC) < 0)
    job->cancel[0] = job->cancel[1] = -1;
  g_hash_table_insert(panel->jobs, job->id, job);
  panel->busy++;
  job->thread = g_thread_new("hutch-create", build_thread, job);
  return job->id;
}

/* --- what the pages use ------------------------------------------------- */

static gint
by_number(gconstpointer a, gconstpointer b)
{
  const HutchPanelJob *ja = *(HutchPanelJob *const *)a, *jb = *(HutchPanelJob *const *)b;
  return (gint)(g_ascii_strtoull(ja->id, NULL, 10) - g_ascii_strtoull(jb->id, NULL, 10));
}

GPtrArray *
hutch_panel_jobs(HutchPanel *panel)
{
  GPtrArray *jobs = g_ptr_array_new();
  GHashTableIter it;
  gpointer job;
  g_hash_table_iter_init(&it, panel->jobs);
  while (g_hash_table_iter_next(&it, NULL, &job))
    g_ptr_array_add(jobs, job);
  g_ptr_array_sort(jobs, by_number);
  return jobs;
}

const char *
hutch_panel_job_id(HutchPanelJob *job)
{
  return job->id;
}

const char *
hutch_panel_job_title(HutchPanelJob *job)
{
  return job->title;
}

const char *
hutch_panel_job_state(HutchPanelJob *job)
{
  if (!job->done_sent)
    return "running";
  return job->ok ? "done" : job->cancelled ? "cancelled" : "failed";
}

static HutchPanelJob *
find_job(HutchPanelRequest *req)
{
  HutchPanelJob *job = g_hash_table_lookup(req->panel->jobs, req->args[0]);
  if (!job)
    hutch_panel_error_page(req, SOUP_STATUS_NOT_FOUND, "No such job",
                           "The panel has no job of that number.");
  return job;
}

void
hutch_panel_page_job(HutchPanelRequest *req)
{
  HutchPanelJob *job = find_job(req);
  if (!job)
    return;
  GString *page = hutch_panel_page_begin(req, job->title, "images");
  g_mutex_lock(&job->lock);
  guint shown = job->sent;
  hutch_html(page, "<section data-job=\"%s\" data-lines=\"%d\">\n", job->id, (int)shown);
  hutch_html(page, "<p>State: <strong id=\"job-state\">%s</strong></p>\n",
             hutch_panel_job_state(job));
  hutch_html(page, "<p id=\"job-result\" class=\"%s\">%s</p>\n",
             !job->done_sent ? ""
             : job->ok       ? "ok"
                             : "error",
             job->done_sent ? job->message : "");
  hutch_html(page, "<ol id=\"progress\" class=\"log\">\n");
  for (guint i = 0; i < shown; i++) {
    const Line *l = job->lines->pdata[i];
    hutch_html(page, "<li class=\"%s\">%s</li>\n", kind_names[l->kind], l->text);
  }
  g_mutex_unlock(&job->lock);
  hutch_html(page, "</ol>\n");
  if (!job->done_sent) {
    g_autofree char *cancel = hutch_panel_path("/jobs/", job->id, "/cancel");
    hutch_panel_form_begin(page, req, cancel, "action");
    hutch_html(page, "<button type=\"submit\" id=\"job-cancel\">Cancel</button></form>\n");
  }
  hutch_html(page, "<p><a href=\"/images\">Images</a></p>\n</section>\n");
  hutch_panel_page_end(req, page);
}

static void
job_stream_gone(HutchPanelStream *stream, gpointer data)
{
  HutchPanelJob *job = data;
  g_ptr_array_remove(job->streams, stream);
}

/* ?from=N: the page already shows the first N lines. */
void
hutch_panel_events_job(HutchPanelRequest *req)
{
  HutchPanelJob *job = find_job(req);
  if (!job)
    return;
  const char *from_text = hutch_panel_query(req, "from");
  guint from = from_text ? (guint)g_ascii_strtoull(from_text, NULL, 10) : 0;
  HutchPanelStream *stream = hutch_panel_stream_open(req, job_stream_gone, job);
  g_mutex_lock(&job->lock);
  for (guint i = from; i < job->sent; i++)
    send_line_event(stream, job->lines->pdata[i]);
  g_mutex_unlock(&job->lock);
  if (job->done_sent) {
    g_autofree char *json = done_json(job);
    hutch_panel_stream_send(stream, "done", json);
    hutch_panel_stream_close(stream);
    return;
  }
  g_ptr_array_add(job->streams, stream);
}

static void
cancel_job(HutchPanelJob *job)
{
  if (job->cancel[1] >= 0 && write(job->cancel[1], "x", 1) < 0)
    g_printerr("hutch panel: cannot cancel job %s\n", job->id);
}

void
hutch_panel_action_job_cancel(HutchPanelRequest *req)
{
  HutchPanelJob *job = g_hash_table_lookup(req->panel->jobs, req->args[0]);
  g_autofree char *back = hutch_panel_path("/jobs/", req->args[0], NULL);
  if (!job || job->done_sent) {
    hutch_panel_action_result(req, FALSE, "That job is not running.", back);
    return;
  }
  cancel_job(job);
  hutch_panel_action_result(req, TRUE, "Cancelling: what was built is being removed.", back);
}

void
hutch_panel_job_free(HutchPanelJob *job)
{
  if (job->thread)
    g_thread_join(job->thread);
  hutch_image_source_clear(&job->source);
  for (int i = 0; i < 2; i++)
    if (job->cancel[i] >= 0)
      close(job->cancel[i]);
  g_ptr_array_unref(job->lines);
  g_ptr_array_unref(job->streams);
  g_mutex_clear(&job->lock);
  g_free(job->message);
  g_free(job->image);
  g_free(job->title);
  g_free(job->id);
  g_free(job);
}

void
hutch_panel_jobs_cancel_all(HutchPanel *panel)
{
  g_autoptr(GPtrArray) jobs = hutch_panel_jobs(panel);
  for (guint i = 0; i < jobs->len; i++) {
    HutchPanelJob *job = jobs->pdata[i];
    if (job->thread) {
      g_print("hutch panel: cancelling %s\n", job->title);
      cancel_job(job);
    }
  }
  for (guint i = 0; i < jobs->len; i++) {
    HutchPanelJob *job = jobs->pdata[i];
    if (job->thread)
      g_thread_join(g_steal_pointer(&job->thread));
  }
}
