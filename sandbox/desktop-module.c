/* hutch's side of the desktop modules: load each on first use and call
 * through its table under the functions' usual names. */
#include "config.h"
#include "desktop-module.h"
#include "error.h"
#include "paths.h"
#include "plan-steps.h"
#include "wayland-secctx.h"
#include "x11-display.h"
#include "x11.h"
#include <dlfcn.h>

static const char *const module_files[] = {
    [HUTCH_DESKTOP_X11] = "hutch-x11.so",
    [HUTCH_DESKTOP_PULSE] = "hutch-pulse.so",
    [HUTCH_DESKTOP_WAYLAND] = "hutch-wayland.so",
};

static const char *const module_roles[] = {
    [HUTCH_DESKTOP_X11] = "X11",
    [HUTCH_DESKTOP_PULSE] = "audio",
    [HUTCH_DESKTOP_WAYLAND] = "Wayland",
};

static char *
module_path(HutchDesktopPart part)
{
  return hutch_running_from_build_tree()
             ? g_build_filename(HUTCH_BUILD_ROOT, "sandbox", module_files[part], NULL)
             : g_build_filename(HUTCH_LIBEXECDIR, module_files[part], NULL);
}

const HutchDesktopModule *
hutch_desktop_module_load(HutchDesktopPart part, GError **error)
{
  static const HutchDesktopModule *modules[G_N_ELEMENTS(module_files)];
  if (modules[part])
    return modules[part];
  g_autofree char *path = module_path(part);
  void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "cannot load the %s module: %s; reinstall hutch", module_roles[part], dlerror());
    return NULL;
  }
  HutchDesktopModuleGetter get =
      (HutchDesktopModuleGetter)dlsym(handle, HUTCH_DESKTOP_MODULE_SYMBOL);
  const HutchDesktopModule *m = get ? get() : NULL;
  if (!m || m->abi != HUTCH_DESKTOP_MODULE_ABI) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "%s does not match this hutch (a mix of two installs?); reinstall hutch", path);
    dlclose(handle);
    return NULL;
  }
  modules[part] = m;
  return m;
}

/* Only reached after a successful hutch_pulse_connect, so loaded. */
static const HutchDesktopModule *
loaded(void)
{
  const HutchDesktopModule *m = hutch_desktop_module_load(HUTCH_DESKTOP_PULSE, NULL);
  g_assert(m);
  return m;
}

gboolean
hutch_x11_plan(HutchPlan *plan, GError **error)
{
  if (!hutch_policy_has(plan->policy, HUTCH_PERM_X11)) {
    const char *name = g_getenv("DISPLAY");
    g_auto(HutchX11Display) d = {0};
    if (name && hutch_x11_parse_display(name, &d, NULL))
      hutch_x11_note_abstract_socket(plan, d.number, FALSE);
    return TRUE;
  }
  const HutchDesktopModule *m = hutch_desktop_module_load(HUTCH_DESKTOP_X11, error);
  return m && m->x11_plan(plan, error);
}

void
hutch_x11_cleanup(const char *data)
{
  const HutchDesktopModule *m = hutch_desktop_module_load(HUTCH_DESKTOP_X11, NULL);
  if (m)
    m->x11_cleanup(data);
}

HutchPulse *
hutch_pulse_connect(GError **error)
{
  const HutchDesktopModule *m = hutch_desktop_module_load(HUTCH_DESKTOP_PULSE, error);
  return m ? m->pulse_connect(error) : NULL;
}

void
hutch_pulse_free(HutchPulse *pulse)
{
  if (pulse)
    loaded()->pulse_free(pulse);
}

const char *
hutch_pulse_server(HutchPulse *pulse)
{
  return loaded()->pulse_server(pulse);
}

gboolean
hutch_pulse_is_local(HutchPulse *pulse)
{
  return loaded()->pulse_is_local(pulse);
}

gboolean
hutch_pulse_server_info(HutchPulse *pulse, char **name, char **version, GError **error)
{
  return loaded()->pulse_server_info(pulse, name, version, error);
}

gboolean
hutch_pulse_load_module(HutchPulse *pulse, const char *name, const char *argument, guint32 *index,
                        GError **error)
{
  return loaded()->pulse_load_module(pulse, name, argument, index, error);
}

gboolean
hutch_pulse_unload_module(HutchPulse *pulse, guint32 index, GError **error)
{
  return loaded()->pulse_unload_module(pulse, index, error);
}

GPtrArray *
hutch_pulse_list_modules(HutchPulse *pulse, GError **error)
{
  return loaded()->pulse_list_modules(pulse, error);
}

gboolean
hutch_wayland_security_context(HutchPlan *plan, const char *host_socket, const char *runtime_name,
                               gboolean *offered, char **why_not, GError **error)
{
  const HutchDesktopModule *m = hutch_desktop_module_load(HUTCH_DESKTOP_WAYLAND, error);
  return m && m->wayland_security_context(plan, host_socket, runtime_name, offered, why_not, error);
}
