/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one symbol each desktop module exports to hutch: the table with its
 * part filled in (HUTCH_MODULE_X11, _PULSE or _WAYLAND, set by meson). */
#include "desktop-module.h"
#include "wayland-secctx.h"

__attribute__((visibility("default"))) const HutchDesktopModule *hutch_desktop_module(void);

const HutchDesktopModule *
hutch_desktop_module(void)
{
  static const HutchDesktopModule module = {
      .abi = HUTCH_DESKTOP_MODULE_ABI,
#ifdef HUTCH_MODULE_WAYLAND
      .wayland_security_context = hutch_wayland_security_context,
#endif
  };
  return &module;
}
