/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A hutch killed with SIGKILL cannot unload its sound-server module. Before
 * loading it, the plan records a "pulse-module" cleanup naming the module's
 * socket (state.h); whichever hutch command next finds the sandbox stale
 * runs this with that socket path. Modules are matched by their socket,
 * never by index: indices are reused after a server restart. */
#include "audio.h"
#include "pulse.h"
#include <string.h>

/* The socket= value of a module argument, unquoted as pa_modargs does. */
static char *
module_socket(const char *argument)
{
  const char *p = strstr(argument, "socket=");
  if (!p)
    return NULL;
  p += strlen("socket=");
  GString *out = g_string_new(NULL);
  if (*p == '"' || *p == '\'') {
    char quote = *p++;
    for (; *p && *p != quote; p++) {
      if (*p == '\\' && p[1])
        p++;
      g_string_append_c(out, *p);
    }
  } else {
    for (; *p && !g_ascii_isspace(*p); p++)
      g_string_append_c(out, *p);
  }
  return g_string_free(out, FALSE);
}

void
hutch_audio_cleanup(const char *socket)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HutchPulse) pulse = hutch_pulse_connect(&error);
  g_autoptr(GPtrArray) modules = pulse ? hutch_pulse_list_modules(pulse, &error) : NULL;
  if (!modules) {
    g_debug("audio: cleanup of %s: %s", socket, error->message);
    return;
  }
  for (guint i = 0; i < modules->len; i++) {
    const HutchPulseModule *m = modules->pdata[i];
    if (!g_str_equal(m->name, "module-native-protocol-unix"))
      continue;
    g_autofree char *path = module_socket(m->argument);
    if (!path || !g_str_equal(path, socket))
      continue;
    if (!hutch_pulse_unload_module(pulse, m->index, &error)) {
      g_debug("audio: cleanup of %s: %s", socket, error->message);
      g_clear_error(&error);
    }
  }
}
