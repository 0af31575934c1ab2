/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* secctx-compositor: a minimal Wayland compositor (libwayland-server) that
 * offers wp_security_context_manager_v1, for testing hutch's client of that
 * protocol where the system's compositor lacks it. It has no outputs or
 * surfaces: globals are wl_shm, the manager, and three privileged protocols
 * a real compositor keeps from sandboxed clients (screen copies, a virtual
 * keyboard, clipboard managers' data control), announced with no requests:
 * clients connected through a security context see none of the last four,
 * as the protocol lets a compositor decide. It prints
 * one line per event on stdout:
 *
 *   listening NAME
 *   context engine=E app_id=A instance=I
 *   client sandboxed=0|1
 *   closed instance=I                 (the sandbox's close_fd hung up)
 *
 * usage: secctx-compositor SOCKET-NAME   (in $XDG_RUNTIME_DIR) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <wayland-server.h>

static const struct wl_interface *no_object[] = {NULL, NULL, NULL};

static const struct wl_message context_requests[] = {
    {"destroy", "", no_object},     {"set_sandbox_engine", "s", no_object},
    {"set_app_id", "s", no_object}, {"set_instance_id", "s", no_object},
    {"commit", "", no_object},
};
static const struct wl_interface context_interface = {
    "wp_security_context_v1", 1, 5, context_requests, 0, NULL,
};
static const struct wl_interface *create_listener_types[] = {&context_interface, NULL, NULL};
static const struct wl_message manager_requests[] = {
    {"destroy", "", no_object},
    {"create_listener", "nhh", create_listener_types},
};
static const struct wl_interface manager_interface = {
    "wp_security_context_manager_v1", 1, 2, manager_requests, 0, NULL,
};

/* Privileged protocols, as sway and KDE restrict them for sandboxed
 * clients: only their names matter here (they are listed, never used). */
static const struct wl_interface privileged_interfaces[] = {
    {"zwlr_screencopy_manager_v1", 1, 0, NULL, 0, NULL},
    {"zwp_virtual_keyboard_manager_v1", 1, 0, NULL, 0, NULL},
    {"zwlr_data_control_manager_v1", 1, 0, NULL, 0, NULL},
};
static struct wl_global *privileged_globals[3];

static void
bind_privileged(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
  const struct wl_interface *iface = data;
  wl_resource_create(client, iface, 1, id);
  printf("bound %s\n", iface->name);
  fflush(stdout);
}

struct context {
  struct wl_display *display;
  int listen_fd, close_fd;
  char *engine, *app_id, *instance;
  struct wl_event_source *listen_source, *close_source;
};

static struct wl_global *manager_global;
static struct wl_list sandboxed_clients; /* struct sandboxed.link */

struct sandboxed {
  struct wl_list link;
  struct wl_client *client;
  struct wl_listener destroyed;
};

static int
is_sandboxed(const struct wl_client *client)
{
  struct sandboxed *s;
  wl_list_for_each(s, &sandboxed_clients, link) if (s->client == client) return 1;
  return 0;
}

static void
on_client_destroyed(struct wl_listener *listener, void *data)
{
  struct sandboxed *s = wl_container_of(listener, s, destroyed);
  wl_list_remove(&s->link);
  free(s);
}

static int
on_accept(int fd, uint32_t mask, void *data)
{
  struct context *ctx = data;
  int client_fd = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
  if (client_fd < 0)
    return 0;
  struct wl_client *client = wl_client_create(ctx->display, client_fd);
  if (!client)
    return 0;
  struct sandboxed *s = calloc(1, sizeof(*s));
  s->client = client;
  s->destroyed.notify = on_client_destroyed;
  wl_client_add_destroy_listener(client, &s->destroyed);
  wl_list_insert(&sandboxed_clients, &s->link);
  printf("client sandboxed=1\n");
  fflush(stdout);
  return 0;
}

static int
on_close(int fd, uint32_t mask, void *data)
{
  struct context *ctx = data;
  printf("closed instance=%s\n", ctx->instance ? ctx->instance : "");
  fflush(stdout);
  wl_event_source_remove(ctx->listen_source);
  wl_event_source_remove(ctx->close_source);
  close(ctx->listen_fd);
  close(ctx->close_fd);
  free(ctx->engine);
  free(ctx->app_id);
  free(ctx->instance);
  free(ctx);
  return 0;
}

static void
context_destroy(struct wl_client *client, struct wl_resource *resource)
{
  wl_resource_destroy(resource);
}

static void
set_engine(struct wl_client *client, struct wl_resource *resource, const char *v)
{
  struct context *ctx = wl_resource_get_user_data(resource);
  ctx->engine = strdup(v);
}

static void
set_app_id(struct wl_client *client, struct wl_resource *resource, const char *v)
{
  struct context *ctx = wl_resource_get_user_data(resource);
  ctx->app_id = strdup(v);
}

static void
set_instance(struct wl_client *client, struct wl_resource *resource, const char *v)
{
  struct context *ctx = wl_resource_get_user_data(resource);
  ctx->instance = strdup(v);
}

static void
commit(struct wl_client *client, struct wl_resource *resource)
{
  struct context *ctx = wl_resource_get_user_data(resource);
  struct wl_event_loop *loop = wl_display_get_event_loop(ctx->display);
  ctx->listen_source =
      wl_event_loop_add_fd(loop, ctx->listen_fd, WL_EVENT_READABLE, on_accept, ctx);
  ctx->close_source = wl_event_loop_add_fd(loop, ctx->close_fd, 0, on_close, ctx);
  printf("context engine=%s app_id=%s instance=%s\n", ctx->engine ? ctx->engine : "",
         ctx->app_id ? ctx->app_id : "", ctx->instance ? ctx->instance : "");
  fflush(stdout);
}

static const struct {
  void (*destroy)(struct wl_client *, struct wl_resource *);
  void (*set_sandbox_engine)(struct wl_client *, struct wl_resource *, const char *);
  void (*set_app_id)(struct wl_client *, struct wl_resource *, const char *);
  void (*set_instance_id)(struct wl_client *, struct wl_resource *, const char *);
  void (*commit)(struct wl_client *, struct wl_resource *);
} context_impl = {context_destroy, set_engine, set_app_id, set_instance, commit};

static void
manager_destroy(struct wl_client *client, struct wl_resource *resource)
{
  wl_resource_destroy(resource);
}

static void
create_listener(struct wl_client *client, struct wl_resource *resource, uint32_t id,
                int32_t listen_fd, int32_t close_fd)
{
  struct context *ctx = calloc(1, sizeof(*ctx));
  ctx->display = wl_client_get_display(client);
  ctx->listen_fd = listen_fd;
  ctx->close_fd = close_fd;
  struct wl_resource *res = wl_resource_create(client, &context_interface, 1, id);
  wl_resource_set_implementation(res, &context_impl, ctx, NULL);
}

static const struct {
  void (*destroy)(struct wl_client *, struct wl_resource *);
  void (*create_listener)(struct wl_client *, struct wl_resource *, uint32_t, int32_t, int32_t);
} manager_impl = {manager_destroy, create_listener};

static void
bind_manager(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
  struct wl_resource *res = wl_resource_create(client, &manager_interface, 1, id);
  wl_resource_set_implementation(res, &manager_impl, NULL, NULL);
}

static int
is_privileged(const struct wl_global *global)
{
  if (global == manager_global)
    return 1;
  for (size_t i = 0; i < sizeof(privileged_globals) / sizeof(*privileged_globals); i++)
    if (global == privileged_globals[i])
      return 1;
  return 0;
}

static bool
filter(const struct wl_client *client, const struct wl_global *global, void *data)
{
  return !is_privileged(global) || !is_sandboxed(client);
}

int
main(int argc, char **argv)
{
  if (argc != 2) {
    fprintf(stderr, "usage: secctx-compositor SOCKET-NAME\n");
    return 2;
  }
  wl_list_init(&sandboxed_clients);
  struct wl_display *display = wl_display_create();
  if (wl_display_add_socket(display, argv[1]) < 0) {
    fprintf(stderr, "secctx-compositor: cannot listen on %s\n", argv[1]);
    return 1;
  }
  wl_display_init_shm(display);
  manager_global = wl_global_create(display, &manager_interface, 1, NULL, bind_manager);
  for (size_t i = 0; i < sizeof(privileged_globals) / sizeof(*privileged_globals); i++)
    privileged_globals[i] = wl_global_create(display, &privileged_interfaces[i], 1,
                                             (void *)&privileged_interfaces[i], bind_privileged);
  wl_display_set_global_filter(display, filter, NULL);
  printf("listening %s\n", argv[1]);
  fflush(stdout);
  wl_display_run(display);
  return 0;
}
