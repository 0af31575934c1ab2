/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* x11=nested, hutch's side: the app's X server (Xvfb) and an xpra server
 * run inside the sandbox (helpers/hutch-x11-nested.c); hutch binds the
 * directory where that xpra server listens, and runs xpra's client on the
 * host, which shows each of the app's windows as a window of the user's
 * display ("seamless"). The app can reach no client of the user's display:
 * it cannot read their windows, selections or cut buffers, nor grab their
 * keyboard; the clipboard crosses, both ways, only with `clipboard`.
 *
 * The client is started once the sandbox's xpra server listens; it dies
 * with hutch (PR_SET_PDEATHSIG), and by itself once that server is gone.
 * xpra reads no configuration file, so what it may do is all said here:
 * no URLs or files opened on the host, no printing, no file transfers, no
 * notifications, no sound, no shared memory with the sandbox. */
#include "x11-nested.h"
#include "error.h"
#include "paths.h"
#include "runtime-files.h"
#include "x11-xserver.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WHY "x11 nested"
#define RUNTIME_NAME "x11"
#define INSIDE_DIR "/run/hutch/x11"
#define INSIDE_HELPER "/run/hutch/x11-nested"
#define HELPER "hutch-x11-nested"
#define CLIENT_LOG "xpra-client.log"
/* How long the client waits for the sandbox's xpra server to listen. */
#define SERVER_WAIT_S 120
#define STOP_WAIT_MS 2000

typedef struct {
  pid_t pid;
} NestedClient;

/* After fork, in a process that may have had other threads: only
 * async-signal-safe calls until exec. Wait for the server to listen, then
 * become the client. */
static void __attribute__((noreturn))
run_client(pid_t parent, const struct sockaddr_un *addr, int log_fd, const char *xpra,
           char *const argv[], char *const envp[])
{
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != parent)
    _exit(0);
  /* hutch blocks the signals it waits for; the client must feel them. */
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null >= 0)
    dup2(null, STDIN_FILENO);
  dup2(log_fd, STDOUT_FILENO);
  dup2(log_fd, STDERR_FILENO);
  struct timespec pause = {.tv_nsec = 20 * 1000 * 1000};
  for (int tries = SERVER_WAIT_S * 50; tries > 0; tries--) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int up = fd >= 0 && connect(fd, (const struct sockaddr *)addr, sizeof(*addr)) == 0;
    if (fd >= 0)
      close(fd);
    if (up) {
      syscall(SYS_close_range, 3, ~0U, 0); /* where the kernel has it */
      execve(xpra, argv, envp);
      _exit(127);
    }
    nanosleep(&pause, NULL);
  }
  _exit(1);
}

static char **
client_argv(HutchPlan *plan, const char *xpra, const char *socket, gboolean clipboard)
{
  GPtrArray *a = g_ptr_array_new();
  g_ptr_array_add(a, g_strdup(xpra));
  g_ptr_array_add(a, g_strdup("attach"));
  g_ptr_array_add(a, g_strdup_printf("socket:%s", socket));
  g_ptr_array_add(a, g_strdup_printf("--clipboard=%s", clipboard ? "yes" : "no"));
  g_ptr_array_add(a, g_strdup("--clipboard-direction=both"));
  g_ptr_array_add(a, g_strdup_printf("--title=@title@ (hutch: %s)", plan->name));
  const char *fixed[] = {"--open-url=no",       "--open-files=no",
                         "--file-transfer=no",  "--printing=no",
                         "--notifications=no",  "--webcam=no",
                         "--speaker=off",       "--microphone=off",
                         "--pulseaudio=no",     "--mmap=no",
                         "--tray=no",           "--system-tray=no",
                         "--opengl=no",         "--mdns=no",
                         "--remote-logging=no", "--desktop-scaling=off",
                         "--bell=no",           NULL};
  for (const char **f = fixed; *f; f++)
    g_ptr_array_add(a, g_strdup(*f));
  g_ptr_array_add(a, NULL);
  return (char **)g_ptr_array_free(a, FALSE);
}

/* The client shows the windows on DISPLAY, even in a Wayland session
 * (where GTK would pick the compositor), and reads no xpra configuration. */
static char **
client_envp(void)
{
  char **env = g_get_environ();
  env = g_environ_unsetenv(env, "WAYLAND_DISPLAY");
  env = g_environ_setenv(env, "GDK_BACKEND", "x11", TRUE);
  env = g_environ_setenv(env, "XPRA_SYSTEM_CONF_DIRS", "", TRUE);
  env = g_environ_setenv(env, "XPRA_USER_CONF_DIRS", "", TRUE);
  return env;
}

static gboolean
start_client(HutchPlan *plan, const char *xpra, gboolean clipboard, pid_t *pid, GError **error)
{
  g_autofree char *socket = g_build_filename(plan->runtime_dir, RUNTIME_NAME, "socket", NULL);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (strlen(socket) >= sizeof(addr.sun_path)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "x11 nested: the socket path %s is too long for a unix socket; use a shorter "
                "--name or XDG_RUNTIME_DIR",
                socket);
    return FALSE;
  }
  strcpy(addr.sun_path, socket);
  g_autofree char *log = hutch_runtime_file(plan, CLIENT_LOG);
  int log_fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (log_fd < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "x11 nested: cannot create %s: %s", log,
                g_strerror(errno));
    return FALSE;
  }
  g_auto(GStrv) argv = client_argv(plan, xpra, socket, clipboard);
  g_auto(GStrv) envp = client_envp();
  pid_t parent = getpid();
  *pid = fork();
  if (*pid == 0)
    run_client(parent, &addr, log_fd, xpra, argv, envp);
  int err = errno;
  close(log_fd);
  if (*pid < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "x11 nested: cannot start xpra: %s",
                g_strerror(err));
    return FALSE;
  }
  return TRUE;
}

static void
stop_client(HutchHostResource *res)
{
  NestedClient *c = res->data;
  if (c->pid <= 0)
    return;
  kill(c->pid, SIGTERM);
  for (int waited = 0;; waited += 20) {
    pid_t got = waitpid(c->pid, NULL, WNOHANG);
    if (got != 0) /* reaped, or not ours to reap any more */
      break;
    if (waited >= STOP_WAIT_MS) {
      kill(c->pid, SIGKILL);
      waitpid(c->pid, NULL, 0);
      break;
    }
    g_usleep(20 * 1000);
  }
  c->pid = 0;
}

static gboolean
find_programs(char **xpra, GError **error)
{
  *xpra = g_find_program_in_path("xpra");
  g_autofree char *xvfb = g_find_program_in_path("Xvfb");
  if (*xpra && xvfb)
    return TRUE;
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              "x11 nested: %s is not installed; install it (Debian: apt install xpra xvfb "
              "python3-pil python3-gi-cairo), or choose --x11 untrusted",
              *xpra ? "Xvfb" : "xpra");
  g_clear_pointer(xpra, g_free);
  return FALSE;
}

gboolean
hutch_x11_nested_plan(HutchPlan *plan, const char *name, const HutchX11Display *d, GError **error)
{
  g_autofree char *xpra = NULL;
  if (!find_programs(&xpra, error))
    return FALSE;
  /* With the host's network the sandbox shares the host's abstract
   * sockets, the user's display's among them. */
  gboolean host_net = plan->policy->net == HUTCH_NET_HOST;
  if (host_net && !hutch_x11_refuse_cookieless(plan, name, d, error))
    return FALSE;
  const char *helper = hutch_helper_path(HELPER);
  if (!g_file_test(helper, G_FILE_TEST_IS_EXECUTABLE)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "x11 nested: the helper %s is missing (is hutch installed completely?)", helper);
    return FALSE;
  }
  if (plan->runtime_dir && !hutch_runtime_mkdir(plan, RUNTIME_NAME, error))
    return FALSE;
  if (!hutch_runtime_bind(plan, RUNTIME_NAME, INSIDE_DIR, 0, WHY, error) ||
      !hutch_plan_bind(plan, helper, INSIDE_HELPER, HUTCH_OPF_RDONLY, WHY, error))
    return FALSE;
  gboolean clipboard = hutch_policy_has(plan->policy, HUTCH_PERM_CLIPBOARD);
  const char *wrapper[] = {
      INSIDE_HELPER, "--dir", INSIDE_DIR, "--clipboard", clipboard ? "yes" : "no", "--", NULL};
  hutch_plan_wrap_app(plan, wrapper);
  /* The helper points them at the app's own server. */
  hutch_plan_unsetenv(plan, "DISPLAY");
  hutch_plan_unsetenv(plan, "XAUTHORITY");
  hutch_plan_note(plan,
                  "x11: nested: the app gets an X server of its own (Xvfb, started in the "
                  "sandbox by " INSIDE_HELPER "); xpra shows its windows on DISPLAY=%s; "
                  "clipboard %s",
                  name, clipboard ? "shared both ways (clipboard granted)" : "not shared");
  hutch_plan_note(plan, "x11: nested: %s",
                  host_net ? "network host: the abstract socket of your display is reachable, "
                             "and your server admits only clients holding its cookie"
                           : "your display's sockets are out of reach (own network namespace)");
  if (!plan->runtime_dir) /* a dry run */
    return TRUE;
  NestedClient *c = g_new0(NestedClient, 1);
  hutch_plan_add_resource(plan, "xpra client", stop_client, c, g_free);
  return start_client(plan, xpra, clipboard, &c->pid, error);
}
