#include "config.h"
#include "pulse.h"
#include "error.h"
#if HAVE_PULSE
#include <pulse/context.h>
#include <pulse/error.h>
#include <pulse/introspect.h>
#include <pulse/mainloop.h>
#endif

/* Long enough for a loaded desktop, short enough that a wedged server is
 * reported rather than waited on. */
#define TIMEOUT_USEC (5 * G_USEC_PER_SEC)

#if HAVE_PULSE

struct HutchPulse {
  pa_mainloop *loop;
  pa_context *ctx;
};

void
hutch_pulse_free(HutchPulse *pulse)
{
  if (!pulse)
    return;
  if (pulse->ctx) {
    pa_context_disconnect(pulse->ctx);
    pa_context_unref(pulse->ctx);
  }
  if (pulse->loop)
    pa_mainloop_free(pulse->loop);
  g_free(pulse);
}

static void
set_error(HutchPulse *pulse, const char *what, GError **error)
{
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "%s: %s", what,
              pa_strerror(pa_context_errno(pulse->ctx)));
}

/* One turn of the loop, waiting at most until DEADLINE. */
static gboolean
iterate(HutchPulse *pulse, gint64 deadline, const char *what, GError **error)
{
  gint64 left = deadline - g_get_monotonic_time();
  if (left <= 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "%s: the sound server did not answer "
                "within %d seconds",
                what, (int)(TIMEOUT_USEC / G_USEC_PER_SEC));
    return FALSE;
  }
  if (pa_mainloop_prepare(pulse->loop, (int)MIN(left, G_MAXINT)) < 0 ||
      pa_mainloop_poll(pulse->loop) < 0 || pa_mainloop_dispatch(pulse->loop) < 0) {
    set_error(pulse, what, error);
    return FALSE;
  }
  if (!PA_CONTEXT_IS_GOOD(pa_context_get_state(pulse->ctx))) {
    set_error(pulse, what, error);
    return FALSE;
  }
  return TRUE;
}

static gboolean
wait_operation(HutchPulse *pulse, pa_operation *op, const char *what, GError **error)
{
  if (!op) {
    set_error(pulse, what, error);
    return FALSE;
  }
  gint64 deadline = g_get_monotonic_time() + TIMEOUT_USEC;
  gboolean ok = TRUE;
  while (ok && pa_operation_get_state(op) == PA_OPERATION_RUNNING)
    ok = iterate(pulse, deadline, what, error);
  if (!ok)
    pa_operation_cancel(op);
  pa_operation_unref(op);
  return ok;
}

HutchPulse *
hutch_pulse_connect(GError **error)
{
  g_autoptr(HutchPulse) pulse = g_new0(HutchPulse, 1);
  pulse->loop = pa_mainloop_new();
  pulse->ctx = pa_context_new(pa_mainloop_get_api(pulse->loop), "hutch");
  if (!pulse->ctx) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "cannot create a sound server context");
    return NULL;
  }
  const char *what = "cannot connect to the sound server";
  if (pa_context_connect(pulse->ctx, NULL, PA_CONTEXT_NOAUTOSPAWN, NULL) < 0) {
    set_error(pulse, what, error);
    return NULL;
  }
  gint64 deadline = g_get_monotonic_time() + TIMEOUT_USEC;
  while (pa_context_get_state(pulse->ctx) != PA_CONTEXT_READY)
    if (!iterate(pulse, deadline, what, error))
      return NULL;
  return g_steal_pointer(&pulse);
}

const char *
hutch_pulse_server(HutchPulse *pulse)
{
  return pa_context_get_server(pulse->ctx);
}

gboolean
hutch_pulse_is_local(HutchPulse *pulse)
{
  return pa_context_is_local(pulse->ctx) == 1;
}

typedef struct {
  char *name;
  char *version;
} ServerInfo;

static void
on_server_info(pa_context *ctx, const pa_server_info *info, void *data)
{
  ServerInfo *out = data;
  if (!info)
    return;
  out->name = g_strdup(info->server_name);
  out->version = g_strdup(info->server_version);
}

gboolean
hutch_pulse_server_info(HutchPulse *pulse, char **name, char **version, GError **error)
{
  ServerInfo info = {0};
  if (!wait_operation(pulse, pa_context_get_server_info(pulse->ctx, on_server_info, &info),
                      "cannot ask the sound server what it is", error))
    return FALSE;
  *name = info.name ? info.name : g_strdup("");
  *version = info.version ? info.version : g_strdup("");
  return TRUE;
}

static void
on_index(pa_context *ctx, uint32_t index, void *data)
{
  *(guint32 *)data = index;
}

gboolean
hutch_pulse_load_module(HutchPulse *pulse, const char *name, const char *argument, guint32 *index,
                        GError **error)
{
  g_autofree char *what = g_strdup_printf("cannot load %s", name);
  *index = PA_INVALID_INDEX;
  if (!wait_operation(pulse, pa_context_load_module(pulse->ctx, name, argument, on_index, index),
                      what, error))
    return FALSE;
  if (*index == PA_INVALID_INDEX) {
    set_error(pulse, what, error);
    return FALSE;
  }
  return TRUE;
}

static void
on_success(pa_context *ctx, int success, void *data)
{
  *(int *)data = success;
}

gboolean
hutch_pulse_unload_module(HutchPulse *pulse, guint32 index, GError **error)
{
  g_autofree char *what = g_strdup_printf("cannot unload module %u", index);
  int success = 0;
  if (!wait_operation(pulse, pa_context_unload_module(pulse->ctx, index, on_success, &success),
                      what, error))
    return FALSE;
  if (!success) {
    set_error(pulse, what, error);
    return FALSE;
  }
  return TRUE;
}

static void
module_free(gpointer p)
{
  HutchPulseModule *m = p;
  g_free(m->name);
  g_free(m->argument);
  g_free(m);
}

static void
on_module(pa_context *ctx, const pa_module_info *info, int eol, void *data)
{
  if (eol || !info)
    return;
  HutchPulseModule *m = g_new0(HutchPulseModule, 1);
  m->index = info->index;
  m->name = g_strdup(info->name);
  m->argument = g_strdup(info->argument ? info->argument : "");
  g_ptr_array_add(data, m);
}

GPtrArray *
hutch_pulse_list_modules(HutchPulse *pulse, GError **error)
{
  g_autoptr(GPtrArray) modules = g_ptr_array_new_with_free_func(module_free);
  if (!wait_operation(pulse, pa_context_get_module_info_list(pulse->ctx, on_module, modules),
                      "cannot list the sound server's modules", error))
    return NULL;
  return g_steal_pointer(&modules);
}

#else /* !HAVE_PULSE */

struct HutchPulse {
  int unused;
};

void
hutch_pulse_free(HutchPulse *pulse)
{
  g_free(pulse);
}

HutchPulse *
hutch_pulse_connect(GError **error)
{
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "this hutch was built without libpulse");
  return NULL;
}

const char *
hutch_pulse_server(HutchPulse *pulse)
{
  return NULL;
}

gboolean
hutch_pulse_is_local(HutchPulse *pulse)
{
  return FALSE;
}

gboolean
hutch_pulse_server_info(HutchPulse *pulse, char **name, char **version, GError **error)
{
  return hutch_pulse_connect(error) != NULL;
}

gboolean
hutch_pulse_load_module(HutchPulse *pulse, const char *name, const char *argument, guint32 *index,
                        GError **error)
{
  return hutch_pulse_connect(error) != NULL;
}

gboolean
hutch_pulse_unload_module(HutchPulse *pulse, guint32 index, GError **error)
{
  return hutch_pulse_connect(error) != NULL;
}

GPtrArray *
hutch_pulse_list_modules(HutchPulse *pulse, GError **error)
{
  hutch_pulse_connect(error);
  return NULL;
}

#endif
