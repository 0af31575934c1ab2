/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The sandbox's xdg-dbus-proxy, run in a minimal sandbox of its own, made
 * by the same launch as the app's: every namespace new (the host's network
 * only for a bus on an abstract socket), the host's /usr read-only, the
 * bus sockets, the directory it listens in, /.flatpak-info (which is how
 * xdg-desktop-portal tells the app is sandboxed: see desktop/dbus.c), the
 * user's own ids only, no capabilities, the default seccomp filter. The
 * proxy parses every message the app sends; a flaw in it then reaches no
 * more than this sandbox holds.
 *
 * Readiness, as flatpak does it: the proxy writes a byte to the pipe given
 * with --fd once it listens, and exits when the other end closes. hutch
 * holds that end, so the proxy goes with hutch on every exit path, even
 * kill -9; the proxy's pid 1 also has hutch's death as its parent-death
 * signal, and the next hutch command kills a proxy that outlived both.
 *
 * The proxy's sandbox is cloned here, on the main thread (its parent-death
 * signal follows the thread that cloned it); a plan task waits for it to
 * exec and for the ready byte while the app's sandbox is planned and
 * built. */
#include "dbus-proxy.h"
#include "dbus.h"
#include "error.h"
#include "launch.h"
#include "plan-steps.h"
#include "plan-tasks.h"
#include "procinfo.h"
#include "rootfs.h"
#include "runtime-files.h"
#include "state.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define WHY "dbus proxy"
#define READY_TIMEOUT_MS 5000

/* What xdg-dbus-proxy and the loader read from /etc. */
static const char *const etc_files[] = {
    "/etc/ld.so.cache", "/etc/passwd", "/etc/group", "/etc/nsswitch.conf", NULL,
};

static gboolean
proxy_rootfs(HutchPlan *plan, GError **error)
{
  if (!hutch_rootfs_host_system(plan, NULL, error))
    return FALSE;
  HutchOp *op = hutch_plan_add_op(plan, HUTCH_OP_MKDIR, NULL, "/etc", WHY);
  op->mode = 0755;
  for (const char *const *f = etc_files; *f; f++)
    if (!hutch_plan_bind(plan, *f, *f, HUTCH_OPF_RDONLY | HUTCH_OPF_OPTIONAL, WHY, error))
      return FALSE;
  return hutch_rootfs_runtime(plan, NULL, error);
}

static const HutchPlanStep proxy_steps[] = {
    {"root filesystem", proxy_rootfs},
    {"seccomp", hutch_seccomp_plan},
    {NULL, NULL},
};

/* The proxy's own binds, after its root filesystem and before the root is
 * made read-only. */
static gboolean
plan_proxy_binds(HutchPlan *proxy, const HutchDbusProxySpec *spec, GError **error)
{
  if (!hutch_runtime_bind(proxy, HUTCH_DBUS_DIR, HUTCH_DBUS_PROXY_DIR, 0, WHY, error) ||
      !hutch_runtime_bind(proxy, HUTCH_DBUS_INFO, "/.flatpak-info",
                          HUTCH_OPF_RDONLY | HUTCH_OPF_FILE, WHY, error))
    return FALSE;
  /* connect() needs no write access to a socket's mount. */
  for (guint i = 0; i < spec->sockets->len; i++) {
    const char *socket = spec->sockets->pdata[i];
    if (!hutch_plan_bind(proxy, socket, socket, HUTCH_OPF_RDONLY, WHY, error))
      return FALSE;
  }
  return hutch_finish_plan(proxy, error);
}

static HutchPolicy *
proxy_policy(const HutchPlan *plan, const HutchDbusProxySpec *spec, int sync_fd)
{
  HutchPolicy *policy = hutch_policy_new();
  policy->dry_run = plan->policy->dry_run;
  policy->net = spec->host_net ? HUTCH_NET_HOST : HUTCH_NET_NONE;
  policy->chdir = g_strdup("/");
  GPtrArray *argv = g_ptr_array_new();
  g_ptr_array_add(argv, g_strdup(spec->proxy));
  g_ptr_array_add(argv, g_strdup_printf("--fd=%d", sync_fd));
  for (guint i = 0; i < spec->args->len; i++)
    g_ptr_array_add(argv, g_strdup(spec->args->pdata[i]));
  g_ptr_array_add(argv, NULL);
  policy->argv = (char **)g_ptr_array_free(argv, FALSE);
  return policy;
}

/* The proxy's plan; its stdin and stdout are /dev/null (NULL_FD), its
 * stderr hutch's, where its own complaints belong. */
static HutchPlan *
proxy_plan(HutchPlan *plan, HutchPolicy *policy, const HutchDbusProxySpec *spec, int null_fd,
           GError **error)
{
  g_autoptr(HutchPlan) proxy = hutch_plan_new_helper(policy, plan, proxy_steps, error);
  if (!proxy || !plan_proxy_binds(proxy, spec, error)) {
    g_prefix_error(error, "dbus: the proxy's sandbox: ");
    return NULL;
  }
  proxy->new_session = TRUE;
  proxy->stdio_null_mask = 0x3;
  proxy->stdio_null_fd = null_fd;
  return g_steal_pointer(&proxy);
}

typedef struct {
  HutchPolicy *policy;
  HutchPlan *plan;
  HutchMappedChild child;
  int ready_fd; /* hutch's end of the --fd pipe: closing it stops the proxy */
  int null_fd;
} Proxy;

static void
proxy_free(gpointer p)
{
  Proxy *px = p;
  hutch_mapped_child_reap(&px->child);
  if (px->ready_fd >= 0)
    close(px->ready_fd);
  if (px->null_fd >= 0)
    close(px->null_fd);
  hutch_plan_free(px->plan);
  hutch_policy_free(px->policy);
  g_free(px);
}

/* The proxy's pid 1 takes its namespace down with it. */
static void
stop_proxy(HutchHostResource *res)
{
  Proxy *px = res->data;
  if (px->ready_fd >= 0) {
    close(px->ready_fd);
    px->ready_fd = -1;
  }
  hutch_mapped_child_reap(&px->child);
}

static gboolean
await_ready_byte(int fd, GError **error)
{
  struct pollfd pfd = {.fd = fd, .events = POLLIN};
  int n;
  do
    n = poll(&pfd, 1, READY_TIMEOUT_MS);
  while (n < 0 && errno == EINTR);
  char byte;
  gssize got = n > 0 ? read(fd, &byte, 1) : -1;
  if (got == 1)
    return TRUE;
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
              n == 0 ? "dbus: xdg-dbus-proxy did not listen within %d seconds"
                     : "dbus: xdg-dbus-proxy stopped before it listened (its message, if any, is "
                       "above)",
              READY_TIMEOUT_MS / 1000);
  return FALSE;
}

/* The plan task: the proxy's sandbox is built, and the proxy listens. */
static gboolean
await_proxy(gpointer data, GError **error)
{
  Proxy *px = data;
  pid_t pid;
  if (!hutch_launch_finish(px->plan, &px->child, &pid, error)) {
    g_prefix_error(error, "dbus: the proxy's sandbox: ");
    return FALSE;
  }
  return await_ready_byte(px->ready_fd, error);
}

static void
note_proxy(HutchPlan *plan, const HutchPlan *proxy, const HutchDbusProxySpec *spec)
{
  g_autofree char *command = g_strjoinv(" ", proxy->app_argv);
  hutch_plan_note(plan, "dbus: proxy: %s", command);
  g_autofree char *sockets = NULL;
  if (spec->sockets->len) {
    g_ptr_array_add(spec->sockets, NULL);
    sockets = g_strjoinv(", ", (char **)spec->sockets->pdata);
    g_ptr_array_remove_index(spec->sockets, spec->sockets->len - 1);
  }
  hutch_plan_note(plan,
                  "dbus: the proxy's own sandbox: every namespace new%s, /usr read-only, %s%s"
                  "/.flatpak-info, %u mounts, your own ids only, seccomp",
                  spec->host_net ? " but the network (the bus is on an abstract socket)" : "",
                  sockets ? sockets : "", sockets ? ", " : "", proxy->ops->len);
}

static gboolean
record_proxy(HutchPlan *plan, pid_t pid, GError **error)
{
  g_autofree char *data =
      g_strdup_printf("%d %" G_GUINT64_FORMAT, (int)pid, hutch_proc_start_time(pid));
  return hutch_state_add_cleanup(plan->runtime_dir, HUTCH_DBUS_PROXY_CLEANUP, data, error);
}

static gboolean
start_proxy(HutchPlan *plan, const HutchDbusProxySpec *spec, GError **error)
{
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "dbus: pipe: %s", g_strerror(errno));
    return FALSE;
  }
  Proxy *px = g_new0(Proxy, 1);
  px->child = (HutchMappedChild)HUTCH_MAPPED_CHILD_INIT;
  px->ready_fd = fds[0];
  px->null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  /* Registered first: every failure below is undone by the release. */
  hutch_plan_add_resource(plan, "D-Bus proxy", stop_proxy, px, proxy_free);
  px->policy = proxy_policy(plan, spec, fds[1]);
  px->plan = proxy_plan(plan, px->policy, spec, px->null_fd, error);
  if (!px->plan) {
    close(fds[1]);
    return FALSE;
  }
  g_array_append_val(px->plan->keep_fds, fds[1]);
  note_proxy(plan, px->plan, spec);
  gboolean started = hutch_launch_start(px->plan, &px->child, error);
  close(fds[1]); /* the proxy's now: EOF here once it is gone */
  if (!started) {
    g_prefix_error(error, "dbus: the proxy's sandbox: ");
    return FALSE;
  }
  if (!record_proxy(plan, px->child.pid, error))
    return FALSE;
  hutch_plan_start_task(plan, await_proxy, px);
  return TRUE;
}

static gboolean
dry_run_proxy(HutchPlan *plan, const HutchDbusProxySpec *spec, GError **error)
{
  g_autoptr(HutchPolicy) policy = proxy_policy(plan, spec, 3);
  g_autoptr(HutchPlan) proxy = proxy_plan(plan, policy, spec, -1, error);
  if (!proxy)
    return FALSE;
  note_proxy(plan, proxy, spec);
  return TRUE;
}

gboolean
hutch_dbus_proxy_plan(HutchPlan *plan, GError **error)
{
  g_autoptr(HutchDbusProxySpec) spec = NULL;
  if (!hutch_dbus_plan(plan, &spec, error))
    return FALSE;
  if (!spec)
    return TRUE;
  if (!plan->runtime_dir)
    return dry_run_proxy(plan, spec, error);
  return start_proxy(plan, spec, error);
}

void
hutch_dbus_proxy_cleanup(const char *data)
{
  g_auto(GStrv) words = g_strsplit(data, " ", 2);
  guint64 pid, start;
  if (g_strv_length(words) != 2 ||
      !g_ascii_string_to_unsigned(words[0], 10, 2, G_MAXINT, &pid, NULL) ||
      !g_ascii_string_to_unsigned(words[1], 10, 0, G_MAXUINT64, &start, NULL))
    return;
  if (hutch_proc_alive((pid_t)pid, start))
    kill((pid_t)pid, SIGKILL);
}
