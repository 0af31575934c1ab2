/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The launch page: pick a profile, read what it grants, edit the command,
 * start it detached.
 *
 * Starting runs `hutch run --detach --profile NAME [--name N] [-- CMD]`,
 * the hutch binary that started the panel: the sandbox's supervisor must
 * outlive the panel, in a session of its own, with every signal blocked
 * before its child exists and nothing of the panel's threads or sockets;
 * that is exactly what `hutch run --detach` does after a fork of a
 * single-threaded process, which this one, with libsoup's and GLib's
 * threads, is not. The profile, its override and the command line are
 * resolved by the same code the CLI runs, as the user would type it. */
#include "error.h"
#include "grants.h"
#include "html.h"
#include "names.h"
#include "panel.h"
#include "profile-list.h"
#include "profile.h"

static void
profile_select(GString *page, GPtrArray *profiles, const char *current)
{
  hutch_html(page, "<form method=\"get\" action=\"/launch\" class=\"pick\">\n"
                   "<label for=\"profile\">Profile</label>\n"
                   "<select id=\"profile\" name=\"profile\">\n");
  for (guint i = 0; i < profiles->len; i++) {
    const HutchProfileEntry *p = profiles->pdata[i];
    if (p->shadowed)
      continue;
    hutch_html(page, "<option value=\"%s\"%H>%s%H%s</option>\n", p->name,
               g_strcmp0(p->name, current) == 0 ? " selected" : "", p->name,
               *p->description ? " \xe2\x80\x94 " : "", p->description);
  }
  hutch_html(page, "</select>\n<button type=\"submit\">Show what it grants</button>\n</form>\n");
}

static void
grants_list(GString *page, HutchPolicy *policy)
{
  g_autoptr(GPtrArray) grants = hutch_grants(policy);
  hutch_html(page, "<h2>What it grants</h2>\n<ul class=\"grants\" id=\"grants\">\n");
  for (guint i = 0; i < grants->len; i++) {
    const HutchGrant *g = grants->pdata[i];
    hutch_html(page, "<li><strong>%s:</strong> %s <span class=\"origin\">(%s)</span></li>\n",
               g->topic, g->text, g->origin ? g->origin : "hutch's default");
  }
  hutch_html(page, "</ul>\n");
}

static void
errors_list(GString *page, GPtrArray *errors)
{
  hutch_html(page, "<h2>This profile has errors</h2>\n<ul class=\"errors\">\n");
  for (guint i = 0; i < errors->len; i++)
    hutch_html(page, "<li><code>%s</code></li>\n", (const char *)errors->pdata[i]);
  hutch_html(page, "</ul>\n<p>hutch run refuses it until they are fixed.</p>\n");
}

static void
launch_form(GString *page, HutchPanelRequest *req, const char *profile, HutchPolicy *policy)
{
  g_autofree char *command = NULL;
  if (policy->argv) {
    GString *quoted = g_string_new(NULL);
    for (char **a = policy->argv; *a; a++) {
      g_autofree char *q = g_shell_quote(*a);
      g_string_append_printf(quoted, "%s%s", quoted->len ? " " : "", q);
    }
    command = g_string_free(quoted, FALSE);
  }
  hutch_html(page, "<h2>Start it</h2>\n");
  hutch_panel_form_begin(page, req, "/launch", "action launch");
  hutch_html(page,
             "<input type=\"hidden\" name=\"profile\" value=\"%s\">\n"
             "<p><label for=\"command\">Command</label>\n"
             "<input id=\"command\" name=\"command\" value=\"%s\" spellcheck=\"false\" "
             "autocomplete=\"off\" placeholder=\"the command and its arguments, as in a "
             "shell\"></p>\n"
             "<p><label for=\"name\">Name <span class=\"origin\">(optional)</span></label>\n"
             "<input id=\"name\" name=\"name\" spellcheck=\"false\" autocomplete=\"off\" "
             "pattern=\"[A-Za-z0-9_][A-Za-z0-9._\\-]*\"></p>\n"
             "<p><button type=\"submit\">Start detached</button></p>\n</form>\n",
             profile, command ? command : "");
}

void
hutch_panel_page_launch(HutchPanelRequest *req)
{
  g_autoptr(GPtrArray) profiles = hutch_profile_list();
  const char *profile = hutch_panel_query(req, "profile");
  if (!profile || !*profile)
    profile = "default";
  GString *page = hutch_panel_page_begin(req, "Launch", "launch");
  profile_select(page, profiles, profile);
  g_autoptr(HutchProfileLoader) loader = hutch_profile_loader_new(NULL);
  g_autoptr(HutchPolicy) policy = hutch_policy_new();
  g_autoptr(GError) error = NULL;
  if (!hutch_profile_name_valid(profile) ||
      !hutch_profile_loader_apply_profile(loader, policy, profile, &error)) {
    hutch_html(page, "<p class=\"error\">%s</p>\n", error ? error->message : "not a profile name");
  } else if (hutch_profile_loader_errors(loader)->len) {
    errors_list(page, hutch_profile_loader_errors(loader));
  } else {
    grants_list(page, policy);
    launch_form(page, req, profile, policy);
  }
  hutch_panel_page_end(req, page);
}

/* --- starting ----------------------------------------------------------- */

static void
launched(GObject *source, GAsyncResult *result, gpointer data)
{
  HutchPanelRequest *req = data;
  GSubprocess *proc = G_SUBPROCESS(source);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  if (!g_subprocess_communicate_utf8_finish(proc, result, &out, &err, &error)) {
    hutch_panel_action_result(req, FALSE, error->message, "/launch");
  } else if (!g_subprocess_get_successful(proc)) {
    g_autofree char *message = g_strdup(err && *err ? g_strstrip(err) : "hutch run failed");
    hutch_panel_action_result(req, FALSE, message, "/launch");
  } else {
    g_autofree char *name = g_strdup(g_strstrip(out));
    g_autofree char *message = g_strdup_printf("Started sandbox %s.", name);
    g_autofree char *back = hutch_panel_path("/sandbox/", name, NULL);
    hutch_panel_action_result(req, TRUE, message, back);
    hutch_panel_table_refresh(req->panel);
  }
  g_object_unref(proc);
  hutch_panel_request_done(req);
}

/* The hutch run command line for the form, or NULL with ERROR. */
static GPtrArray *
run_argv(HutchPanelRequest *req, GError **error)
{
  const char *profile = hutch_panel_form(req, "profile");
  const char *command = hutch_panel_form(req, "command");
  const char *name = hutch_panel_form(req, "name");
  if (!profile || !hutch_profile_name_valid(profile)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE, "pick a profile");
    return NULL;
  }
  if (name && *name && !hutch_name_check(name, error))
    return NULL;
  g_auto(GStrv) cmd = NULL;
  if (command && *g_strstrip((char *)command) && !g_shell_parse_argv(command, NULL, &cmd, error)) {
    g_prefix_error(error, "command: ");
    return NULL;
  }
  GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
  const char *head[] = {req->panel->hutch, "run", "--detach", "--profile", profile};
  for (gsize i = 0; i < G_N_ELEMENTS(head); i++)
    g_ptr_array_add(argv, g_strdup(head[i]));
  if (name && *name) {
    g_ptr_array_add(argv, g_strdup("--name"));
    g_ptr_array_add(argv, g_strdup(name));
  }
  if (cmd) {
    g_ptr_array_add(argv, g_strdup("--"));
    for (char **a = cmd; *a; a++)
      g_ptr_array_add(argv, g_strdup(*a));
  }
  g_ptr_array_add(argv, NULL);
  return argv;
}

void
hutch_panel_action_launch(HutchPanelRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = run_argv(req, &error);
  if (!argv) {
    hutch_panel_action_result(req, FALSE, error->message, "/launch");
    return;
  }
  g_autoptr(GSubprocessLauncher) launcher =
      g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* Where a shell would start: the sandbox's directory, if it can see it. */
  g_subprocess_launcher_set_cwd(launcher, g_get_home_dir());
  GSubprocess *proc =
      g_subprocess_launcher_spawnv(launcher, (const char *const *)argv->pdata, &error);
  if (!proc) {
    hutch_panel_action_result(req, FALSE, error->message, "/launch");
    return;
  }
  hutch_panel_request_hold(req);
  g_subprocess_communicate_utf8_async(proc, NULL, NULL, launched, req);
}
