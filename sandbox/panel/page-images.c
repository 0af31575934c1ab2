/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The images: the list (as hutch images), making one from the Debian
 * template or a tarball (a job, its progress live on /jobs/ID), and
 * destroying one after a confirmation (refused while in use, as hutch
 * destroy refuses). */
#include "error.h"
#include "html.h"
#include "image-destroy.h"
#include "image-list.h"
#include "image.h"
#include "panel-jobs.h"
#include "panel.h"
#include "util.h"

static void
images_table(GString *page, HutchPanelRequest *req)
{
  g_autoptr(GPtrArray) images = hutch_image_list();
  hutch_html(page, "<table id=\"images\" class=\"list\">\n<caption>Images for <code>hutch run "
                   "--image NAME</code></caption>\n<thead><tr><th scope=\"col\">Name</th><th "
                   "scope=\"col\">Size</th><th scope=\"col\">Created</th><th "
                   "scope=\"col\">Distribution</th><th scope=\"col\">Actions</th></tr></thead>\n"
                   "<tbody>\n");
  for (guint i = 0; i < images->len; i++) {
    const HutchImageEntry *e = images->pdata[i];
    g_autofree char *size = hutch_format_size(e->size);
    g_autoptr(GDateTime) local = e->created ? g_date_time_to_local(e->created) : NULL;
    g_autofree char *created = local ? g_date_time_format(local, "%Y-%m-%d %H:%M") : g_strdup("?");
    g_autofree char *distro =
        g_strdup_printf("%s%s%s%s", e->distro ? e->distro : "unknown", e->arch ? " (" : "",
                        e->arch ? e->arch : "", e->arch ? ")" : "");
    g_autofree char *destroy = hutch_panel_path("/images/", e->name, "/destroy");
    hutch_html(page,
               "<tr data-name=\"%s\"><td data-label=\"Name\">%s</td><td "
               "data-label=\"Size\">%s</td><td data-label=\"Created\">%s</td><td "
               "data-label=\"Distribution\">%s</td><td data-label=\"Actions\"><a "
               "href=\"%s\">Destroy\xe2\x80\xa6</a></td></tr>\n",
               e->name, e->name, size, created, distro, destroy);
  }
  hutch_html(page, "</tbody>\n</table>\n");
  if (!images->len)
    hutch_html(page, "<p>No images yet.</p>\n");
}

static void
create_form(GString *page, HutchPanelRequest *req)
{
  hutch_html(page, "<h2>Create an image</h2>\n");
  hutch_panel_form_begin(page, req, "/images", "action create");
  hutch_html(
      page,
      "<p><label for=\"image-name\">Name</label>\n<input id=\"image-name\" name=\"name\" "
      "required spellcheck=\"false\" autocomplete=\"off\"></p>\n"
      "<fieldset><legend>From</legend>\n"
      "<p><input type=\"radio\" id=\"from-debian\" name=\"from\" value=\"debian\" checked> "
      "<label for=\"from-debian\">the Debian template (debootstrap; a few minutes)</label></p>\n"
      "<p><label for=\"release\">Release</label> <input id=\"release\" name=\"release\" "
      "placeholder=\"the host's, else bookworm\"></p>\n"
      "<p><label for=\"arch\">Architecture</label> <input id=\"arch\" name=\"arch\" "
      "placeholder=\"the host's\"></p>\n"
      "<p><label for=\"mirror\">Mirror</label> <input id=\"mirror\" name=\"mirror\" "
      "placeholder=\"the one apt uses\"></p>\n"
      "<p><label for=\"include\">Also install</label> <input id=\"include\" name=\"include\" "
      "placeholder=\"pkg,pkg\"></p>\n"
      "<p><input type=\"radio\" id=\"from-tar\" name=\"from\" value=\"tar\"> "
      "<label for=\"from-tar\">a root filesystem tarball on this machine</label></p>\n"
      "<p><label for=\"tarball\">Tarball</label> <input id=\"tarball\" name=\"tarball\" "
      "spellcheck=\"false\" placeholder=\"/path/to/rootfs.tar\"></p>\n"
      "</fieldset>\n<p><button type=\"submit\">Create</button></p>\n</form>\n");
}

static void
jobs_list(GString *page, HutchPanel *panel)
{
  g_autoptr(GPtrArray) jobs = hutch_panel_jobs(panel);
  if (!jobs->len)
    return;
  hutch_html(page, "<h2>Jobs</h2>\n<ul class=\"jobs\">\n");
  for (guint i = 0; i < jobs->len; i++) {
    HutchPanelJob *job = jobs->pdata[i];
    g_autofree char *href = hutch_panel_path("/jobs/", hutch_panel_job_id(job), NULL);
    hutch_html(page, "<li><a href=\"%s\">%s</a>: %s</li>\n", href, hutch_panel_job_title(job),
               hutch_panel_job_state(job));
  }
  hutch_html(page, "</ul>\n");
}

void
hutch_panel_page_images(HutchPanelRequest *req)
{
  GString *page = hutch_panel_page_begin(req, "Images", "images");
  images_table(page, req);
  jobs_list(page, req->panel);
  create_form(page, req);
  hutch_panel_page_end(req, page);
}

/* --- create ------------------------------------------------------------- */

static char *
field(HutchPanelRequest *req, const char *name)
{
  const char *value = hutch_panel_form(req, name);
  g_autofree char *stripped = g_strstrip(g_strdup(value ? value : ""));
  return *stripped ? g_steal_pointer(&stripped) : NULL;
}

void
hutch_panel_action_image_create(HutchPanelRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = field(req, "name");
  g_auto(HutchImageSource) source = {0};
  if (g_strcmp0(hutch_panel_form(req, "from"), "tar") == 0) {
    source.from_tar = field(req, "tarball");
    if (!source.from_tar)
      g_set_error(&error, HUTCH_ERROR, HUTCH_ERROR_USAGE, "give the tarball's path");
  } else {
    source.template_name = g_strdup("debian");
    source.debian.release = field(req, "release");
    source.debian.arch = field(req, "arch");
    source.debian.mirror = field(req, "mirror");
    source.debian.include = field(req, "include");
  }
  if (error || !hutch_image_name_check(name, &error) ||
      !hutch_image_source_check(&source, &error)) {
    hutch_panel_action_result(req, FALSE, error->message, "/images");
    return;
  }
  const char *id = hutch_panel_job_start_create(req->panel, name, &source);
  g_autofree char *where = hutch_panel_path("/jobs/", id, NULL);
  if (req->wants_json) {
    g_autofree char *message = g_strdup_printf("Creating image %s.", name);
    hutch_panel_action_result(req, TRUE, message, where);
  } else {
    hutch_panel_redirect(req, where);
  }
}

/* --- destroy ------------------------------------------------------------ */

void
hutch_panel_page_image_destroy(HutchPanelRequest *req)
{
  const char *name = req->args[0];
  g_autofree char *title = g_strdup_printf("Destroy image %s?", name);
  GString *page = hutch_panel_page_begin(req, title, "images");
  g_autoptr(GPtrArray) users = hutch_image_users(name);
  hutch_html(page, "<p>Its files are removed for good.</p>\n");
  if (users->len) {
    g_ptr_array_add(users, NULL);
    g_autofree char *list = g_strjoinv(", ", (char **)users->pdata);
    hutch_html(page, "<p class=\"error\">It is in use by %s: hutch refuses until %s.</p>\n", list,
               users->len > 2 ? "they stop" : "it stops");
  }
  g_autofree char *action = hutch_panel_path("/images/", name, "/destroy");
  hutch_panel_form_begin(page, req, action, "action destroy");
  hutch_html(page,
             "<button type=\"submit\" class=\"danger\">Destroy %s</button> "
             "<a href=\"/images\">Keep it</a></form>\n",
             name);
  hutch_panel_page_end(req, page);
}

static gboolean
destroy_work(gpointer data, GError **error)
{
  gboolean leftovers_only;
  return hutch_image_destroy(data, &leftovers_only, error);
}

static void
destroy_done(HutchPanelRequest *req, gpointer data, const GError *error)
{
  g_autofree char *message =
      error ? g_strdup(error->message) : g_strdup_printf("Image %s destroyed.", (char *)data);
  hutch_panel_action_result(req, error == NULL, message, "/images");
}

void
hutch_panel_action_image_destroy(HutchPanelRequest *req)
{
  hutch_panel_work(req, destroy_work, destroy_done, g_strdup(req->args[0]), g_free);
}
