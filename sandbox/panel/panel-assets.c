/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /static/panel.css and /static/panel.js, compiled into the binary
 * (panel.gresource.xml): the pages fetch nothing from anywhere else. */
#include "panel-resources.h"
#include "panel.h"

void
hutch_panel_static(HutchPanelRequest *req)
{
  static const struct {
    const char *name, *type;
  } assets[] = {
      {"panel.css", "text/css; charset=utf-8"},
      {"panel.js", "text/javascript; charset=utf-8"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(assets); i++) {
    if (!g_str_equal(req->args[0], assets[i].name))
      continue;
    g_autofree char *path = g_strconcat("/org/hutch/panel/", assets[i].name, NULL);
    g_autoptr(GBytes) data = g_resource_lookup_data(hutch_panel_get_resource(), path,
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
    if (!data)
      break;
    gsize len;
    const char *bytes = g_bytes_get_data(data, &len);
    soup_server_message_set_status(req->msg, SOUP_STATUS_OK, NULL);
    soup_server_message_set_response(req->msg, assets[i].type, SOUP_MEMORY_COPY, bytes, len);
    return;
  }
  soup_server_message_set_status(req->msg, SOUP_STATUS_NOT_FOUND, NULL);
}

/* Browsers ask for one; there is none, and nothing to log about it. */
void
hutch_panel_favicon(HutchPanelRequest *req)
{
  soup_server_message_set_status(req->msg, SOUP_STATUS_NO_CONTENT, NULL);
}
