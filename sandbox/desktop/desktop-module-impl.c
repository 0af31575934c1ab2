/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one symbol each desktop module exports to hutch: the table with its
 * part filled in (HUTCH_MODULE_X11 or HUTCH_MODULE_WAYLAND, set by meson). */
#include "desktop-module.h"
#include "documents-portal.h"
#include "wayland-secctx.h"
#include "x11-xserver.h"

__attribute__((visibility("default"))) const HutchDesktopModule *hutch_desktop_module(void);

const HutchDesktopModule *
hutch_desktop_module(void)
{
  static const HutchDesktopModule module = {
      .abi = HUTCH_DESKTOP_MODULE_ABI,
#ifdef HUTCH_MODULE_X11
      .x11_plan_untrusted = hutch_x11_plan_untrusted,
      .x11_make_untrusted = hutch_x11_make_untrusted,
      .x11_revoke_untrusted = hutch_x11_revoke_untrusted,
      .x11_plan_trusted = hutch_x11_plan_trusted,
      .x11_refuse_cookieless = hutch_x11_refuse_cookieless,
      .x11_probe = hutch_x11_probe,
#endif
#ifdef HUTCH_MODULE_WAYLAND
      .wayland_security_context = hutch_wayland_security_context,
#endif
#ifdef HUTCH_MODULE_PORTAL
      .doc_portal_connect = hutch_doc_portal_connect,
      .doc_portal_export = hutch_doc_portal_export,
      .doc_portal_close = hutch_doc_portal_close,
#endif
  };
  return &module;
}
