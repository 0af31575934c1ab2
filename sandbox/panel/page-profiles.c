/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The profiles: the list (as hutch profile list), and one profile's files,
 * check results (as hutch profile check), the user's override and its
 * resolved settings with their origins (as hutch profile show). */
#include "html.h"
#include "panel.h"
#include "profile-list.h"
#include "profile.h"

void
hutch_panel_page_profiles(HutchPanelRequest *req)
{
  g_autoptr(GPtrArray) profiles = hutch_profile_list();
  GString *page = hutch_panel_page_begin(req, "Profiles", "profiles");
  hutch_html(page,
             "<table id=\"profiles\" class=\"list\">\n<caption>Every profile in the search path, "
             "the first of each name winning</caption>\n<thead><tr><th scope=\"col\">Name</th>"
             "<th scope=\"col\">Description</th><th scope=\"col\">Check</th><th "
             "scope=\"col\">File</th><th scope=\"col\">Your override</th></tr></thead>\n<tbody>\n");
  for (guint i = 0; i < profiles->len; i++) {
    const HutchProfileEntry *p = profiles->pdata[i];
    g_autofree char *href = hutch_panel_path("/profiles/", p->name, NULL);
    hutch_html(page, "<tr data-name=\"%s\"><td data-label=\"Name\">", p->name);
    if (p->shadowed)
      hutch_html(page, "%s <span class=\"origin\">(shadowed)</span>", p->name);
    else
      hutch_html(page, "<a href=\"%s\">%s</a>", href, p->name);
    hutch_html(page,
               "</td><td data-label=\"Description\">%s</td><td data-label=\"Check\" "
               "class=\"%s\">%s</td><td data-label=\"File\"><code>%s</code></td>"
               "<td data-label=\"Your override\">%H%s%H</td></tr>\n",
               p->description, p->broken ? "error" : "ok", p->broken ? "errors" : "ok", p->path,
               p->override ? "<code>" : "", p->override ? p->override : "none",
               p->override ? "</code>" : "");
  }
  hutch_html(page, "</tbody>\n</table>\n");
  hutch_panel_page_end(req, page);
}

/* "FILE:LINE: message", with FILE:LINE set apart. */
static void
error_item(GString *page, const char *error)
{
  g_autoptr(GMatchInfo) m = NULL;
  g_autoptr(GRegex) re = g_regex_new("^(.*?:[0-9]+): (.*)$", G_REGEX_DOTALL, 0, NULL);
  if (g_regex_match(re, error, 0, &m)) {
    g_autofree char *where = g_match_info_fetch(m, 1);
    g_autofree char *what = g_match_info_fetch(m, 2);
    hutch_html(page, "<li><code class=\"where\">%s</code> %s</li>\n", where, what);
  } else {
    hutch_html(page, "<li>%s</li>\n", error);
  }
}

static void
check_section(GString *page, GPtrArray *errors)
{
  hutch_html(page, "<h2>Check</h2>\n");
  if (!errors->len) {
    hutch_html(page, "<p class=\"ok\" id=\"check\">No problems found.</p>\n");
    return;
  }
  hutch_html(page, "<ul class=\"errors\" id=\"check\">\n");
  for (guint i = 0; i < errors->len; i++)
    error_item(page, errors->pdata[i]);
  hutch_html(page, "</ul>\n");
}

static void
override_section(GString *page, const char *name)
{
  g_autofree char *path = hutch_profile_override_path(name);
  g_autofree char *text = NULL;
  hutch_html(page, "<h2>Your override</h2>\n");
  if (!g_file_get_contents(path, &text, NULL, NULL)) {
    hutch_html(page,
               "<p>None. Settings in <code>%s</code> would apply after the profile's "
               "own (see hutch-profile(5)).</p>\n",
               path);
    return;
  }
  hutch_html(page,
             "<p><code>%s</code>, applied after the profile:</p>\n<pre id=\"override\">%s</pre>\n",
             path, text);
}

static void
setting_row(const char *setting, const char *value, const char *origin, gpointer data)
{
  hutch_html(data,
             "<tr><td data-label=\"Setting\">%s</td><td data-label=\"Value\">%s</td>"
             "<td data-label=\"From\">%s</td></tr>\n",
             setting, value, origin ? origin : "(default)");
}

static void
settings_section(GString *page, HutchPolicy *policy)
{
  hutch_html(page, "<h2>Resolved settings</h2>\n<table id=\"settings\" class=\"list\">\n"
                   "<caption>As <code>hutch profile show</code> prints them: each with the "
                   "file and line that decided it</caption>\n<thead><tr><th "
                   "scope=\"col\">Setting</th><th scope=\"col\">Value</th><th "
                   "scope=\"col\">From</th></tr></thead>\n<tbody>\n");
  hutch_profile_show_rows(policy, setting_row, page);
  hutch_html(page, "</tbody>\n</table>\n");
}

void
hutch_panel_page_profile(HutchPanelRequest *req)
{
  const char *name = req->args[0];
  g_autoptr(GError) error = NULL;
  g_autoptr(HutchProfileLoader) loader = hutch_profile_loader_new(NULL);
  g_autoptr(HutchPolicy) policy = hutch_policy_new();
  g_autofree char *title = g_strdup_printf("Profile %s", name);
  GString *page = hutch_panel_page_begin(req, title, "profiles");
  if (!hutch_profile_name_valid(name) ||
      !hutch_profile_loader_apply_profile(loader, policy, name, &error)) {
    hutch_html(page, "<p class=\"error\">%s</p>\n", error ? error->message : "not a profile name");
    hutch_panel_page_end(req, page);
    soup_server_message_set_status(req->msg, SOUP_STATUS_NOT_FOUND, NULL);
    return;
  }
  g_autofree char *launch = hutch_panel_path("/launch?profile=", name, NULL);
  hutch_html(page, "<p>%s</p>\n<p><a href=\"%s\">Launch with this profile</a></p>\n",
             policy->description ? policy->description : "", launch);
  hutch_html(page, "<h2>Files</h2>\n<ol class=\"files\">\n");
  for (guint i = 0; i < policy->sources->len; i++)
    hutch_html(page, "<li><code>%s</code></li>\n", (const char *)policy->sources->pdata[i]);
  hutch_html(page, "</ol>\n");
  GPtrArray *errors = hutch_profile_loader_errors(loader);
  check_section(page, errors);
  override_section(page, name);
  if (!errors->len)
    settings_section(page, policy);
  hutch_panel_page_end(req, page);
}
