/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch run: command line -> Policy -> Plan -> Launch -> Supervise. */
#include "cmd-common.h"
#include "commands.h"
#include "desktop-module.h"
#include "detach.h"
#include "error.h"
#include "interrupt.h"
#include "idholder.h"
#include "launch.h"
#include "launcher.h"
#include "plan.h"
#include "policy.h"
#include "print.h"
#include "profile.h"
#include "run-hints.h"
#include "run-record.h"
#include "steps.h"
#include "state.h"
#include "suggest.h"
#include "supervise.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static HutchPolicy *cli_policy;

/* --join / --new-instance: runtime choices, not profile keys. */
typedef struct {
  gboolean join;
  gboolean new_instance;
} Instance;

/* Paths and environment values are bytes, whatever the locale says; the
 * other values are words hutch knows, which are text. */
static gboolean
takes_bytes(const HutchProfileKey *key)
{
  return g_strcmp0(key->metavar, "PATH") == 0 || g_strcmp0(key->metavar, "DIR") == 0 ||
         g_strcmp0(key->metavar, "KEY=VALUE") == 0;
}

/* Each profile key's twin flag: recorded in the command-line layer, which is
 * applied after the profile so that the command line wins. */
static gboolean
twin_option(const char *name, const char *value, gpointer data, GError **error)
{
  const HutchProfileKey *key = hutch_profile_key_by_flag(name);
  if (value && !takes_bytes(key) && !g_utf8_validate(value, -1, NULL)) {
    g_autofree char *shown = hutch_escape(value);
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE, "%s %s: not valid UTF-8 text", name, shown);
    return FALSE;
  }
  return hutch_profile_layer_add(data, key, name, value, error);
}

static GOptionEntry *
twin_entries(void)
{
  GArray *entries = g_array_new(TRUE, TRUE, sizeof(GOptionEntry));
  for (const HutchProfileKey *k = hutch_profile_keys; k->section; k++) {
    if (!k->flag)
      continue;
    /* FILENAME: GOption hands the value over as the bytes given, rather
     * than converting it from the locale's charset (which fails on any
     * byte above 0x7f in the C locale, naming no option). */
    GOptionEntry e = {k->flag + 2,
                      0,
                      k->metavar ? G_OPTION_FLAG_FILENAME : G_OPTION_FLAG_NO_ARG,
                      G_OPTION_ARG_CALLBACK,
                      twin_option,
                      k->help,
                      k->metavar};
    g_array_append_val(entries, e);
  }
  return (GOptionEntry *)g_array_free(entries, FALSE);
}

static gboolean
pass_fd(const char *name, const char *value, gpointer data, GError **error)
{
  char *end;
  errno = 0;
  long fd = strtol(value, &end, 10);
  if (errno || *end || end == value || fd < 3 || fd > 65535) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "--pass-fd %s: expected a file descriptor number above 2", value);
    return FALSE;
  }
  int v = (int)fd;
  g_array_append_val(cli_policy->pass_fds, v);
  return TRUE;
}

static gboolean
check_policy(HutchPolicy *policy, GError **error)
{
  if (!policy->argv || !policy->argv[0]) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "no command given: hutch run [OPTIONS] -- COMMAND [ARG...] (or a --profile "
                "with a command= key)");
    return FALSE;
  }
  if (policy->json_status_fd != -1 && !hutch_run_check_status_fd(policy->json_status_fd, error))
    return FALSE;
  return TRUE;
}

/* GOption says "Unknown option --hoem"; add the nearest real option. */
static void
suggest_option(GError *error, const GOptionEntry *entries, const GOptionEntry *twins)
{
  const char *prefix = "Unknown option --";
  if (!g_str_has_prefix(error->message, prefix))
    return;
  g_autofree char *word = g_strdup(error->message + strlen(prefix));
  char *eq = strchr(word, '=');
  if (eq)
    *eq = '\0';
  g_autoptr(GPtrArray) names = g_ptr_array_new();
  for (const GOptionEntry *list[] = {entries, twins}, **l = list; l < list + 2; l++)
    for (const GOptionEntry *e = *l; e->long_name; e++)
      if (!(e->flags & G_OPTION_FLAG_HIDDEN))
        g_ptr_array_add(names, (gpointer)e->long_name);
  g_ptr_array_add(names, NULL);
  const char *near = hutch_suggest(word, (const char *const *)names->pdata);
  if (!near)
    return;
  g_autofree char *msg =
      g_strdup_printf("%s (did you mean --%s?); see 'hutch run --help'", error->message, near);
  g_free(error->message);
  error->message = g_steal_pointer(&msg);
}

static gboolean
is_option_of(const char *arg, const GOptionEntry *entries)
{
  if (!g_str_has_prefix(arg, "--"))
    return FALSE;
  gsize len = strcspn(arg + 2, "=");
  for (const GOptionEntry *e = entries; e->long_name; e++)
    if (strlen(e->long_name) == len && strncmp(e->long_name, arg + 2, len) == 0)
      return TRUE;
  return FALSE;
}

/* Options end at the command: one of hutch's after it goes to the app,
 * which is rarely what was meant (`hutch run mpv --allow audio`). With an
 * explicit -- before the command, the user said so. */
static void
warn_late_options(char **command, const GOptionEntry *entries, const GOptionEntry *twins)
{
  for (char **a = command + (command[0] ? 1 : 0); *a; a++) {
    if (g_str_equal(*a, "--"))
      return;
    if (is_option_of(*a, entries) || is_option_of(*a, twins))
      fprintf(stderr,
              "hutch: warning: %s comes after the command, so it goes to %s, not to hutch; put "
              "hutch's options before the command (hutch run [OPTIONS] -- COMMAND)\n",
              *a, command[0]);
  }
}

/* Runtime options go straight into POLICY; profile-key twins into LAYER. */
static gboolean
parse_run_options(HutchPolicy *policy, HutchProfileLayer *layer, char **profile, Instance *instance,
                  int *argc, char ***argv, GError **error)
{
  gboolean no_seccomp = FALSE;
  GOptionEntry entries[] = {
      {"profile", 0, 0, G_OPTION_ARG_FILENAME, profile,
       "Profile NAME, or a profile file PATH (default: the command's name, else default)",
       "NAME|PATH"},
      {"pass-fd", 0, G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, pass_fd,
       "Pass file descriptor N", "N"},
      {"name", 0, 0, G_OPTION_ARG_FILENAME, &policy->sandbox_name, "Name the sandbox", "NAME"},
      {"dry-run", 0, 0, G_OPTION_ARG_NONE, &policy->dry_run, "Print the plan, start nothing", NULL},
      {"detach", 0, 0, G_OPTION_ARG_NONE, &policy->detach,
       "Return once the app has started; print the sandbox's name", NULL},
      {"join", 0, 0, G_OPTION_ARG_NONE, &instance->join,
       "Run COMMAND in the running sandbox of this profile, if there is one (the app's second "
       "launch reaches its first)",
       NULL},
      {"new-instance", 0, 0, G_OPTION_ARG_NONE, &instance->new_instance,
       "Start a new sandbox even with --join (the default)", NULL},
      {"json-status-fd", 0, 0, G_OPTION_ARG_INT, &policy->json_status_fd,
       "Write JSON status lines (started, exit code) to file descriptor N", "N"},
      {"no-seccomp", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &no_seccomp,
       "Benchmarks only: no syscall filter", NULL},
      {NULL},
  };
  g_autofree GOptionEntry *twins = twin_entries();
  g_autoptr(GOptionContext) ctx = g_option_context_new("[--] COMMAND [ARG...]");
  g_option_context_set_summary(ctx, "Run COMMAND in a new sandbox. Every profile key has an "
                                    "option here; options override the profile.");
  GOptionGroup *group = g_option_group_new(NULL, NULL, NULL, layer, NULL);
  g_option_group_add_entries(group, entries);
  g_option_group_add_entries(group, twins);
  g_option_context_set_main_group(ctx, group);
  /* Options end at the command: its own options are its own. */
  g_option_context_set_strict_posix(ctx, TRUE);
  hutch_cmd_maybe_list_options(ctx);
  cli_policy = policy;
  gboolean ok = g_option_context_parse(ctx, argc, argv, error);
  cli_policy = NULL;
  if (!ok) {
    if (g_error_matches(*error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION))
      suggest_option(*error, entries, twins);
    (*error)->domain = HUTCH_ERROR;
    (*error)->code = HUTCH_ERROR_USAGE;
    return FALSE;
  }
  policy->seccomp_disabled = no_seccomp;
  if (instance->new_instance)
    instance->join = FALSE;
  int first = (*argc > 1 && g_str_equal((*argv)[1], "--")) ? 2 : 1;
  policy->argv = g_strdupv(*argv + first);
  if (first == 1)
    warn_late_options(policy->argv, entries, twins);
  return TRUE;
}

/* Without --profile: the profile named after the command when there is one,
 * else default. *APP gets the command's name, which then names the sandbox's
 * per-app state in place of "default". */
static char *
implicit_profile(char **argv, char **app)
{
  g_auto(GStrv) search = hutch_profile_search_path();
  g_autofree char *base = argv && argv[0] ? g_path_get_basename(argv[0]) : NULL;
  if (base && hutch_profile_name_valid(base)) {
    g_autofree char *file = g_strconcat(base, ".profile", NULL);
    g_autofree char *found = hutch_profile_find_file(search, NULL, file);
    if (found)
      return g_steal_pointer(&base);
    *app = g_steal_pointer(&base);
  }
  g_autofree char *found = hutch_profile_find_file(search, NULL, "default.profile");
  return found ? g_strdup("default") : NULL;
}

/* A Steam launch with the game profile: the game's own profile, game-APPID,
 * where the user or the library has one. */
static char *
per_game_profile(const char *profile, char **envp)
{
  g_autofree char *app_id = hutch_launcher_steam_app_id(envp);
  if (!app_id || g_strcmp0(profile, "game") != 0)
    return NULL;
  g_autofree char *name = g_strconcat("game-", app_id, NULL);
  g_autofree char *file = g_strconcat(name, ".profile", NULL);
  g_auto(GStrv) search = hutch_profile_search_path();
  g_autofree char *found = hutch_profile_find_file(search, NULL, file);
  return found ? g_steal_pointer(&name) : NULL;
}

/* Run by the name of its profile's program (`hutch run mpv FILE`, as a menu
 * or a launcher does), an app keeps its profile's arguments and gets the
 * command line's after them; any other command replaces the profile's. */
static gboolean
same_program(char **profile_argv, const char *program)
{
  if (!profile_argv || !profile_argv[0])
    return FALSE;
  g_autofree char *base = g_path_get_basename(profile_argv[0]);
  return g_str_equal(profile_argv[0], program) || g_str_equal(base, program);
}

static char **
appended(char **profile_argv, char **cli_argv)
{
  GPtrArray *out = g_ptr_array_new();
  for (char **a = profile_argv; *a; a++)
    g_ptr_array_add(out, g_strdup(*a));
  for (char **a = cli_argv + 1; *a; a++)
    g_ptr_array_add(out, g_strdup(*a));
  g_ptr_array_add(out, NULL);
  return (char **)g_ptr_array_free(out, FALSE);
}

/* includes < profile < override file < a launcher's environment < command
 * line. */
static gboolean
resolve_policy(HutchPolicy *policy, const char *profile, const HutchProfileLayer *layer,
               GError **error)
{
  g_auto(GStrv) cli_argv = g_steal_pointer(&policy->argv);
  g_auto(GStrv) envp = g_get_environ();
  g_autofree char *app = NULL;
  g_autofree char *game = per_game_profile(profile, envp);
  g_autofree char *name = game      ? g_strdup(game)
                          : profile ? g_strdup(profile)
                                    : implicit_profile(cli_argv, &app);
  g_autoptr(HutchProfileLoader) loader = hutch_profile_loader_new(NULL);
  if (name && !hutch_profile_loader_apply_profile(loader, policy, name, error))
    return FALSE;
  if (app) {
    g_free(policy->profile_name);
    policy->profile_name = g_steal_pointer(&app);
  }
  hutch_launcher_apply(policy, envp, g_get_home_dir());
  hutch_profile_loader_apply_layer(loader, policy, layer);
  if (!hutch_profile_loader_take_errors(loader, error))
    return FALSE;
  if (cli_argv && cli_argv[0]) {
    gboolean append = !profile && !game && same_program(policy->argv, cli_argv[0]);
    char **command = append ? appended(policy->argv, cli_argv) : g_steal_pointer(&cli_argv);
    g_strfreev(policy->argv);
    policy->argv = command;
    hutch_policy_set_origin(policy, "command",
                            append ? "the profile's command and the command line's arguments"
                                   : "command line");
  }
  return TRUE;
}

static void
note_profile(HutchPlan *plan, const HutchPolicy *policy)
{
  if (!policy->sources->len) {
    hutch_plan_note(plan, "profile: none (no default.profile found)");
    return;
  }
  g_ptr_array_add(policy->sources, NULL);
  g_autofree char *files = g_strjoinv(", ", (char **)policy->sources->pdata);
  g_ptr_array_remove_index(policy->sources, policy->sources->len - 1);
  hutch_plan_note(plan, "profile: %s (%s)", policy->profile_name ? policy->profile_name : "-",
                  files);
  /* Permissions are granted by name; say which, and who granted each. */
  for (const char *const *name = hutch_perm_names(); *name; name++) {
    HutchPerm perm;
    hutch_perm_parse(*name, &perm);
    g_autofree char *setting = g_strconcat("perm ", *name, NULL);
    if (hutch_policy_has(policy, perm))
      hutch_plan_note(plan, "allow %s (%s)", *name, hutch_policy_origin(policy, setting));
  }
}

/* --join: the running sandbox of POLICY's profile (the oldest by name),
 * or NULL to start one. A sandbox given a --name is never joined by
 * another name. */
static HutchState *
sandbox_to_join(const HutchPolicy *policy)
{
  if (!policy->profile_name || policy->sandbox_name || policy->dry_run)
    return NULL;
  g_autoptr(GPtrArray) states = hutch_state_list();
  for (guint i = 0; i < states->len; i++) {
    HutchState *st = states->pdata[i];
    if (g_strcmp0(st->profile, policy->profile_name) == 0 &&
        hutch_state_phase(st) == HUTCH_SB_RUNNING)
      return g_ptr_array_steal_index(states, i);
  }
  return NULL;
}

/* Run POLICY's command in the sandbox ST through `hutch enter`, which
 * applies the sandbox's own rules to it; its status is the command's. */
static int
join(const HutchState *st, const HutchPolicy *policy, GError **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, "hutch");
  g_ptr_array_add(argv, "enter");
  g_ptr_array_add(argv, st->name);
  g_ptr_array_add(argv, "--");
  for (char **a = policy->argv; *a; a++)
    g_ptr_array_add(argv, *a);
  g_ptr_array_add(argv, NULL);
  execv("/proc/self/exe", (char **)argv->pdata);
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "--join: cannot run hutch enter %s: %s",
              st->name, g_strerror(errno));
  return -1;
}

/* A launch whose x11 step will load hutch-x11.so: x11 granted outright
 * (not through display, decided while planning), and not nested. */
static gboolean
will_talk_to_x(const HutchPolicy *policy)
{
  const char *display = g_getenv("DISPLAY");
  return !policy->dry_run && hutch_policy_has(policy, HUTCH_PERM_X11) &&
         policy->x11_mode != HUTCH_X11_NESTED && display && *display;
}

static void
end_prefetch(gboolean *started)
{
  if (*started)
    hutch_desktop_module_prefetch_end();
}

int
hutch_cmd_run(int argc, char **argv, GError **error)
{
  g_autoptr(HutchPolicy) policy = hutch_policy_new();
  g_autoptr(HutchProfileLayer) cli = hutch_profile_layer_new();
  g_autofree char *profile = NULL;
  Instance instance = {FALSE, FALSE};
  if (!parse_run_options(policy, cli, &profile, &instance, &argc, &argv, error) ||
      !resolve_policy(policy, profile, cli, error) || !check_policy(policy, error))
    return -1;
  if (instance.join) {
    g_autoptr(HutchState) running = sandbox_to_join(policy);
    if (running)
      return join(running, policy, error);
  }
  /* Block before the child exists so no signal meant for it is lost. */
  sigset_t set;
  hutch_forwarded_signals(&set);
  sigprocmask(SIG_BLOCK, &set, NULL);
  int caller_exit;
  if (policy->detach && !policy->dry_run && hutch_detach_fork(&caller_exit))
    return caller_exit;
  /* Before planning starts any thread: the kernel lets only a
   * single-threaded process join a user namespace. Without the holder,
   * newuidmap/newgidmap map the sandbox as before. */
  HutchIdHolder holder;
  g_autofree char *no_holder = NULL;
  if (!policy->dry_run)
    hutch_idholder_join(&holder, policy->no_idholder, &no_holder);
  /* hutch-x11.so loads while the launch plans (desktop-module.h). */
  __attribute__((cleanup(end_prefetch))) gboolean prefetch = will_talk_to_x(policy);
  if (prefetch)
    hutch_desktop_module_prefetch(HUTCH_DESKTOP_X11);
  /* Until the command runs, SIGINT, SIGTERM, SIGHUP or SIGQUIT end the
   * launch (hutch_launch stops watching right before the command's go). */
  hutch_interrupt_watch();
  g_autoptr(HutchPlan) plan = hutch_plan_new(policy, hutch_plan_steps, error);
  if (!plan)
    return -1;
  note_profile(plan, policy);
  if (policy->dry_run) {
    hutch_plan_print(plan, stdout);
    return 0;
  }
  pid_t pid;
  if (!hutch_launch(plan, hutch_run_record, &pid, error))
    return -1;
  hutch_run_started(plan, pid);
  int status = hutch_run_finished(plan, hutch_supervise(plan, pid));
  hutch_run_hints(plan, status);
  return status;
}
