/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch's side of the desktop modules: load each on first use and call
 * through its table under the functions' usual names. */
#include "config.h"
#include "desktop-module.h"
#include "error.h"
#include "paths.h"
#include "wayland-secctx.h"
#include "x11-xserver.h"
#include <dlfcn.h>

static const char *const module_files[] = {
    [HUTCH_DESKTOP_X11] = "hutch-x11.so",
    [HUTCH_DESKTOP_WAYLAND] = "hutch-wayland.so",
    [HUTCH_DESKTOP_PORTAL] = "hutch-portal.so",
};

static const char *const module_roles[] = {
    [HUTCH_DESKTOP_X11] = "X11",
    [HUTCH_DESKTOP_WAYLAND] = "Wayland",
    [HUTCH_DESKTOP_PORTAL] = "document portal",
};

static char *
module_path(HutchDesktopPart part)
{
  return hutch_running_from_build_tree()
             ? g_build_filename(HUTCH_BUILD_ROOT, "sandbox", "desktop", module_files[part], NULL)
             : g_build_filename(HUTCH_LIBEXECDIR, module_files[part], NULL);
}

static GThread *prefetching; /* joined by the first load, or by prefetch_end */

static void
join_prefetch(void)
{
  GThread *t = g_atomic_pointer_exchange(&prefetching, NULL);
  if (t)
    g_thread_join(t);
}

static const HutchDesktopModule *
load_module(HutchDesktopPart part, GError **error)
{
  static const HutchDesktopModule *modules[G_N_ELEMENTS(module_files)];
  static GMutex lock;
  g_autoptr(GMutexLocker) locked G_GNUC_UNUSED = g_mutex_locker_new(&lock);
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

const HutchDesktopModule *
hutch_desktop_module_load(HutchDesktopPart part, GError **error)
{
  join_prefetch();
  return load_module(part, error);
}

static gpointer
prefetch_main(gpointer part)
{
  load_module(GPOINTER_TO_INT(part), NULL);
  return NULL;
}

void
hutch_desktop_module_prefetch(HutchDesktopPart part)
{
  if (!prefetching)
    prefetching = g_thread_try_new("hutch-prefetch", prefetch_main, GINT_TO_POINTER(part), NULL);
}

void
hutch_desktop_module_prefetch_end(void)
{
  join_prefetch();
}

gboolean
hutch_wayland_security_context(HutchPlan *plan, const char *host_socket, const char *runtime_name,
                               gboolean *offered, char **why_not, GError **error)
{
  const HutchDesktopModule *m = hutch_desktop_module_load(HUTCH_DESKTOP_WAYLAND, error);
  return m && m->wayland_security_context(plan, host_socket, runtime_name, offered, why_not, error);
}

gboolean
hutch_x11_plan_untrusted(HutchPlan *plan, const char *name, const HutchX11Display *d,
                         const char *xauth, GError **error)
{
  const HutchDesktopModule *m = hutch_desktop_module_load(HUTCH_DESKTOP_X11, error);
  return m && m->x11_plan_untrusted(plan, name, d, xauth, error);
}

gboolean
hutch_x11_make_untrusted(HutchX11Untrusted *u, GError **error)
{
  const HutchDesktopModule *m = hutch_desktop_module_load(HUTCH_DESKTOP_X11, error);
  return m && m->x11_make_untrusted(u, error);
}

void
hutch_x11_revoke_untrusted(HutchX11Untrusted *u)
{
  if (!u->made) /* nothing was made: the module may not even be loaded */
    return;
  const HutchDesktopModule *m = hutch_desktop_module_load(HUTCH_DESKTOP_X11, NULL);
  if (m)
    m->x11_revoke_untrusted(u);
}

gboolean
hutch_x11_plan_trusted(HutchPlan *plan, const char *name, const HutchX11Display *d,
                       const char *xauth, gboolean *have_cookie, GError **error)
{
  const HutchDesktopModule *m = hutch_desktop_module_load(HUTCH_DESKTOP_X11, error);
  return m && m->x11_plan_trusted(plan, name, d, xauth, have_cookie, error);
}

gboolean
hutch_x11_refuse_cookieless(HutchPlan *plan, const char *name, const HutchX11Display *d,
                            GError **error)
{
  const HutchDesktopModule *m = hutch_desktop_module_load(HUTCH_DESKTOP_X11, error);
  return m && m->x11_refuse_cookieless(plan, name, d, error);
}

gboolean
hutch_x11_probe(const char *display, gboolean *security, char **cookieless, GError **error)
{
  const HutchDesktopModule *m = hutch_desktop_module_load(HUTCH_DESKTOP_X11, error);
  return m && m->x11_probe(display, security, cookieless, error);
}

HutchDocBus *
hutch_doc_portal_connect(const char *address, char **mount, char **why_none)
{
  g_autoptr(GError) error = NULL;
  const HutchDesktopModule *m = hutch_desktop_module_load(HUTCH_DESKTOP_PORTAL, &error);
  if (!m) {
    *why_none = g_strdup(error->message);
    return NULL;
  }
  return m->doc_portal_connect(address, mount, why_none);
}

char *
hutch_doc_portal_export(HutchDocBus *bus, const char *app_id, const char *path, gboolean exists,
                        GError **error)
{
  const HutchDesktopModule *m = hutch_desktop_module_load(HUTCH_DESKTOP_PORTAL, error);
  return m ? m->doc_portal_export(bus, app_id, path, exists, error) : NULL;
}

void
hutch_doc_portal_close(HutchDocBus *bus)
{
  if (!bus) /* nothing was connected: the module may not even be loaded */
    return;
  const HutchDesktopModule *m = hutch_desktop_module_load(HUTCH_DESKTOP_PORTAL, NULL);
  if (m)
    m->doc_portal_close(bus);
}
