/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"
#include "wayland-secctx.h"
#include "unix-socket.h"
#include "error.h"
#include "runtime-files.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#if HAVE_WAYLAND
#include <wayland-client.h>
#endif

#define MANAGER "wp_security_context_manager_v1"

#if HAVE_WAYLAND

/* The two interfaces, written out from the protocol's XML (request names,
 * argument signatures and opcodes): the few lines wayland-scanner would
 * generate, without needing wayland-protocols 1.32 at build time. */
static const struct wl_interface *no_object[] = {NULL, NULL, NULL};

static const struct wl_message context_requests[] = {
    {"destroy", "", no_object},     {"set_sandbox_engine", "s", no_object},
    {"set_app_id", "s", no_object}, {"set_instance_id", "s", no_object},
    {"commit", "", no_object},
};
enum {
  CONTEXT_DESTROY,
  CONTEXT_SET_ENGINE,
  CONTEXT_SET_APP_ID,
  CONTEXT_SET_INSTANCE_ID,
  CONTEXT_COMMIT
};

static const struct wl_interface context_interface = {
    "wp_security_context_v1", 1, G_N_ELEMENTS(context_requests), context_requests, 0, NULL,
};

static const struct wl_interface *create_listener_types[] = {&context_interface, NULL, NULL};

static const struct wl_message manager_requests[] = {
    {"destroy", "", no_object},
    {"create_listener", "nhh", create_listener_types},
};
enum { MANAGER_DESTROY, MANAGER_CREATE_LISTENER };

static const struct wl_interface manager_interface = {
    MANAGER, 1, G_N_ELEMENTS(manager_requests), manager_requests, 0, NULL,
};

typedef struct {
  guint32 name;
  gboolean found;
} Registry;

static void
on_global(void *data, struct wl_registry *registry, uint32_t name, const char *interface,
          uint32_t version)
{
  Registry *r = data;
  if (g_str_equal(interface, MANAGER)) {
    r->name = name;
    r->found = TRUE;
  }
}

static void
on_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = {on_global, on_global_remove};

static int
connect_unix(const char *path, GError **error)
{
  int fd = hutch_unix_connect(path);
  if (fd < 0)
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "wayland: cannot connect to %s: %s", path,
                g_strerror(errno));
  return fd;
}

static int
listen_unix(const char *path, GError **error)
{
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof(addr.sun_path)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "wayland: socket path %s is too long; use a shorter --name", path);
    return -1;
  }
  strcpy(addr.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd >= 0 && bind(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0 && listen(fd, 128) == 0)
    return fd;
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "wayland: cannot listen on %s: %s", path,
              g_strerror(errno));
  if (fd >= 0)
    close(fd);
  return -1;
}

static void
close_pipe_end(HutchHostResource *res)
{
  int *fd = res->data;
  if (*fd >= 0)
    close(*fd);
  *fd = -1;
}

static const char *
app_id(HutchPlan *plan)
{
  if (plan->policy->profile_name)
    return plan->policy->profile_name;
  return plan->app_argv && plan->app_argv[0] ? plan->app_argv[0] : "unknown";
}

/* Make the listening socket, hand it to the compositor with the read end of
 * a pipe whose write end hutch keeps, set the metadata and commit; a
 * roundtrip then tells whether the compositor took it. */
static gboolean
create_context(HutchPlan *plan, struct wl_display *display, struct wl_proxy *manager,
               const char *runtime_name, GError **error)
{
  g_autofree char *path = hutch_runtime_file(plan, runtime_name);
  int listen_fd = listen_unix(path, error);
  if (listen_fd < 0)
    return FALSE;
  int close_fds[2];
  if (pipe2(close_fds, O_CLOEXEC) < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "wayland: pipe: %s", g_strerror(errno));
    close(listen_fd);
    return FALSE;
  }
  int *keep = g_new(int, 1);
  *keep = close_fds[1];
  hutch_plan_add_resource(plan, "wayland security context", close_pipe_end, keep, g_free);

  guint32 version = wl_proxy_get_version(manager);
  struct wl_proxy *context =
      wl_proxy_marshal_flags(manager, MANAGER_CREATE_LISTENER, &context_interface, version, 0, NULL,
                             listen_fd, close_fds[0]);
  g_autofree char *basename = g_path_get_basename(app_id(plan));
  wl_proxy_marshal_flags(context, CONTEXT_SET_ENGINE, NULL, version, 0, "hutch");
  wl_proxy_marshal_flags(context, CONTEXT_SET_APP_ID, NULL, version, 0, basename);
  wl_proxy_marshal_flags(context, CONTEXT_SET_INSTANCE_ID, NULL, version, 0, plan->name);
  wl_proxy_marshal_flags(context, CONTEXT_COMMIT, NULL, version, 0);
  wl_proxy_marshal_flags(context, CONTEXT_DESTROY, NULL, version, WL_MARSHAL_FLAG_DESTROY);
  int rc = wl_display_roundtrip(display);
  close(listen_fd);
  close(close_fds[0]);
  if (rc < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "wayland: the compositor refused the security context (%s); not falling back "
                "to its unrestricted socket",
                g_strerror(wl_display_get_error(display)));
    return FALSE;
  }
  hutch_plan_note(plan,
                  "wayland: security context (engine hutch, app id %s, instance %s) "
                  "listening on %s",
                  basename, plan->name, path);
  return TRUE;
}

gboolean
hutch_wayland_security_context(HutchPlan *plan, const char *host_socket, const char *runtime_name,
                               gboolean *offered, char **why_not, GError **error)
{
  *offered = FALSE;
  int fd = connect_unix(host_socket, error);
  if (fd < 0)
    return FALSE;
  struct wl_display *display = wl_display_connect_to_fd(fd);
  if (!display) {
    close(fd);
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "wayland: cannot talk to %s", host_socket);
    return FALSE;
  }
  Registry r = {0};
  struct wl_registry *registry = wl_display_get_registry(display);
  wl_registry_add_listener(registry, &registry_listener, &r);
  gboolean ok = TRUE;
  if (wl_display_roundtrip(display) < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "wayland: %s did not list its globals",
                host_socket);
    ok = FALSE;
  } else if (!r.found) {
    *why_not = g_strdup("the compositor does not offer " MANAGER);
  } else {
    *offered = TRUE;
    if (!plan->runtime_dir) {
      hutch_plan_note(plan, "wayland: the compositor offers " MANAGER ": the app gets a "
                            "socket of its own, tagged as sandboxed, made at launch");
    } else {
      struct wl_proxy *manager = wl_registry_bind(registry, r.name, &manager_interface, 1);
      ok = create_context(plan, display, manager, runtime_name, error);
      wl_proxy_marshal_flags(manager, MANAGER_DESTROY, NULL, 1, WL_MARSHAL_FLAG_DESTROY);
    }
  }
  wl_registry_destroy(registry);
  wl_display_disconnect(display); /* also closes fd */
  return ok;
}

#else

gboolean
hutch_wayland_security_context(HutchPlan *plan, const char *host_socket, const char *runtime_name,
                               gboolean *offered, char **why_not, GError **error)
{
  *offered = FALSE;
  *why_not =
      g_strdup("this hutch was built without libwayland-client, so it cannot ask for " MANAGER);
  return TRUE;
}

#endif
