/* hutch run: command line -> Policy -> Plan -> Launch -> Supervise. */
#include "audio.h"
#include "commands.h"
#include "error.h"
#include "launch.h"
#include "plan.h"
#include "policy.h"
#include "supervise.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static HutchPolicy *cli_policy;

static gboolean
add_path_option(const char *name, const char *value, gpointer data, GError **error)
{
  HutchPathMode mode = g_str_equal(name, "--ro")      ? HUTCH_PATH_RO
                       : g_str_equal(name, "--rw")    ? HUTCH_PATH_RW
                       : g_str_equal(name, "--hide")  ? HUTCH_PATH_HIDE
                                                      : HUTCH_PATH_TMPFS;
  hutch_policy_add_path(cli_policy, mode, value, name);
  return TRUE;
}

static gboolean
set_home(const char *name, const char *value, gpointer data, GError **error)
{
  if (hutch_home_mode_parse(value, &cli_policy->home))
    return TRUE;
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
              "--home %s: unknown mode (use none, private, ro or rw)", value);
  return FALSE;
}

static gboolean
set_net(const char *name, const char *value, gpointer data, GError **error)
{
  if (hutch_net_mode_parse(value, &cli_policy->net) && cli_policy->net != HUTCH_NET_USER)
    return TRUE;
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE, "--net %s: unknown mode (use none or host)",
              value);
  return FALSE;
}

static gboolean
valid_env_key(const char *key, gssize len)
{
  if (len <= 0 || g_ascii_isdigit(key[0]))
    return FALSE;
  for (gssize i = 0; i < len; i++)
    if (!g_ascii_isalnum(key[i]) && key[i] != '_')
      return FALSE;
  return TRUE;
}

static gboolean
set_env(const char *name, const char *value, gpointer data, GError **error)
{
  const char *eq = strchr(value, '=');
  if (!eq || !valid_env_key(value, eq - value)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "--env %s: expected KEY=VALUE with KEY of letters, digits and _", value);
    return FALSE;
  }
  g_ptr_array_add(cli_policy->env_set, g_strdup(value));
  return TRUE;
}

static gboolean
env_key_option(const char *name, const char *value, gpointer data, GError **error)
{
  if (!valid_env_key(value, strlen(value))) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "%s %s: not a variable name (letters, digits and _)", name, value);
    return FALSE;
  }
  g_ptr_array_add(g_str_equal(name, "--unset-env") ? cli_policy->env_unset : cli_policy->env_pass,
                  g_strdup(value));
  return TRUE;
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
perm_option(const char *name, const char *value, gpointer data, GError **error)
{
  HutchPerm perm;
  if (!hutch_perm_parse(value, &perm)) {
    g_autofree char *names = g_strjoinv(", ", (char **)hutch_perm_names());
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE, "%s %s: unknown permission (one of: %s)",
                name, value, names);
    return FALSE;
  }
  if (g_str_equal(name, "--allow"))
    cli_policy->perms |= perm;
  else
    cli_policy->perms &= ~perm;
  return TRUE;
}

static gboolean
set_x11_mode(const char *name, const char *value, gpointer data, GError **error)
{
  if (hutch_x11_mode_parse(value, &cli_policy->x11_mode))
    return TRUE;
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
              "--x11 %s: unknown mode (use untrusted or trusted)", value);
  return FALSE;
}

static gboolean
set_wayland_mode(const char *name, const char *value, gpointer data, GError **error)
{
  if (hutch_wayland_mode_parse(value, &cli_policy->wayland_mode))
    return TRUE;
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
              "--wayland %s: unknown mode (use auto, secure or plain)", value);
  return FALSE;
}

static gboolean
valid_hostname(const char *s)
{
  if (!*s || strlen(s) > 64)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum(*p) && *p != '-' && *p != '.')
      return FALSE;
  return TRUE;
}

static gboolean
check_policy(HutchPolicy *policy, GError **error)
{
  if (!policy->argv || !policy->argv[0]) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "no command given: hutch run [OPTIONS] -- COMMAND [ARG...]");
    return FALSE;
  }
  if (policy->hostname && !valid_hostname(policy->hostname)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "--hostname %s: use up to 64 letters, digits, '-' and '.'", policy->hostname);
    return FALSE;
  }
  if (policy->chdir && !g_path_is_absolute(policy->chdir)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE, "--chdir %s: must be an absolute path",
                policy->chdir);
    return FALSE;
  }
  return TRUE;
}

static gboolean
parse_run_options(HutchPolicy *policy, int *argc, char ***argv, GError **error)
{
  gboolean no_seccomp = FALSE;
  GOptionEntry entries[] = {
    {"ro", 0, 0, G_OPTION_ARG_CALLBACK, add_path_option, "Bind host PATH read-only", "PATH"},
    {"rw", 0, 0, G_OPTION_ARG_CALLBACK, add_path_option, "Bind host PATH read-write", "PATH"},
    {"tmpfs", 0, 0, G_OPTION_ARG_CALLBACK, add_path_option, "Mount a fresh tmpfs at PATH",
     "PATH"},
    {"hide", 0, 0, G_OPTION_ARG_CALLBACK, add_path_option, "Make PATH empty and unreadable",
     "PATH"},
    {"home", 0, 0, G_OPTION_ARG_CALLBACK, set_home, "Home: none, private, ro or rw", "MODE"},
    {"net", 0, 0, G_OPTION_ARG_CALLBACK, set_net, "Network: none or host", "MODE"},
    {"env", 0, 0, G_OPTION_ARG_CALLBACK, set_env, "Set a variable", "KEY=VALUE"},
    {"unset-env", 0, 0, G_OPTION_ARG_CALLBACK, env_key_option, "Remove a variable", "KEY"},
    {"keep-env", 0, 0, G_OPTION_ARG_CALLBACK, env_key_option,
     "Keep a variable hutch would remove", "KEY"},
    {"chdir", 0, 0, G_OPTION_ARG_FILENAME, &policy->chdir, "Working directory inside", "DIR"},
    {"hostname", 0, 0, G_OPTION_ARG_STRING, &policy->hostname, "Hostname inside", "NAME"},
    {"pass-fd", 0, 0, G_OPTION_ARG_CALLBACK, pass_fd, "Pass file descriptor N", "N"},
    {"allow", 0, 0, G_OPTION_ARG_CALLBACK, perm_option, "Grant a permission", "PERM"},
    {"deny", 0, 0, G_OPTION_ARG_CALLBACK, perm_option, "Revoke a permission", "PERM"},
    {"name", 0, 0, G_OPTION_ARG_STRING, &policy->sandbox_name, "Name the sandbox", "NAME"},
    {"x11", 0, 0, G_OPTION_ARG_CALLBACK, set_x11_mode,
     "X11 cookie: untrusted (default) or trusted", "MODE"},
    {"wayland", 0, 0, G_OPTION_ARG_CALLBACK, set_wayland_mode,
     "Wayland security context: auto (default), secure or plain", "MODE"},
    {"dry-run", 0, 0, G_OPTION_ARG_NONE, &policy->dry_run, "Print the plan, start nothing",
     NULL},
    {"no-seccomp", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &no_seccomp,
     "Benchmarks only: no syscall filter", NULL},
    {NULL},
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("[--] COMMAND [ARG...]");
  g_option_context_set_summary(ctx, "Run COMMAND in a new sandbox.");
  g_option_context_add_main_entries(ctx, entries, NULL);
  /* Options end at the command: its own options are its own. */
  g_option_context_set_strict_posix(ctx, TRUE);
  cli_policy = policy;
  gboolean ok = g_option_context_parse(ctx, argc, argv, error);
  cli_policy = NULL;
  if (!ok) {
    if ((*error)->domain != HUTCH_ERROR)
      (*error)->code = HUTCH_ERROR_USAGE;
    (*error)->domain = HUTCH_ERROR;
    return FALSE;
  }
  policy->seccomp_disabled = no_seccomp;
  int first = (*argc > 1 && g_str_equal((*argv)[1], "--")) ? 2 : 1;
  policy->argv = g_strdupv(*argv + first);
  return TRUE;
}

int
hutch_cmd_run(int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HutchPolicy) policy = hutch_policy_new();
  if (!parse_run_options(policy, &argc, &argv, &error) || !check_policy(policy, &error)) {
    hutch_print_error(error);
    return error->code == HUTCH_ERROR_USAGE ? HUTCH_EXIT_USAGE : HUTCH_EXIT_FAILURE;
  }
  /* Block before the child exists so no signal meant for it is lost. */
  sigset_t set;
  hutch_forwarded_signals(&set);
  sigprocmask(SIG_BLOCK, &set, NULL);

  if (!policy->dry_run)
    hutch_audio_cleanup_orphans();
  g_autoptr(HutchPlan) plan = hutch_plan_new(policy, &error);
  if (!plan) {
    hutch_print_error(error);
    return error->code == HUTCH_ERROR_USAGE ? HUTCH_EXIT_USAGE : HUTCH_EXIT_FAILURE;
  }
  if (policy->dry_run) {
    hutch_plan_print(plan, stdout);
    return 0;
  }
  pid_t pid;
  if (!hutch_launch(plan, &pid, &error)) {
    hutch_print_error(error);
    return HUTCH_EXIT_FAILURE;
  }
  return hutch_supervise(plan, pid);
}
