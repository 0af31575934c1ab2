/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The library calls that block for seconds (stopping waits for the app,
 * freezing for every process to agree, destroying removes a tree) run on
 * a worker thread, so that the page and the live table of every other
 * client go on meanwhile; the request waits, paused. */
#include "panel.h"

typedef struct {
  HutchPanelRequest *req;
  HutchPanelWorkFn fn;
  HutchPanelWorkDone done;
  gpointer data;
  GDestroyNotify data_free;
} Work;

static void
work_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Work *w = task_data;
  GError *error = NULL;
  if (w->fn(w->data, &error))
    g_task_return_boolean(task, TRUE);
  else
    g_task_return_error(task, error);
}

static void
work_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
  Work *w = user_data;
  g_autoptr(GError) error = NULL;
  g_task_propagate_boolean(G_TASK(result), &error);
  w->done(w->req, w->data, error);
  hutch_panel_request_done(w->req);
  if (w->data_free)
    w->data_free(w->data);
  g_free(w);
}

void
hutch_panel_work(HutchPanelRequest *req, HutchPanelWorkFn fn, HutchPanelWorkDone done,
                 gpointer data, GDestroyNotify data_free)
{
  Work *w = g_new0(Work, 1);
  w->req = req;
  w->fn = fn;
  w->done = done;
  w->data = data;
  w->data_free = data_free;
  hutch_panel_request_hold(req);
  GTask *task = g_task_new(NULL, NULL, work_done, w);
  g_task_set_task_data(task, w, NULL);
  g_task_run_in_thread(task, work_thread);
  g_object_unref(task);
}
