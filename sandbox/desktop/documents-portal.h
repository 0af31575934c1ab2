/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The document portal's D-Bus calls (xdg-document-portal, see
 * documents.c): they need GIO, which costs every process that links it
 * about 2 ms of loading, so they live in hutch-portal.so, loaded only by a
 * launch that passes a file in or binds the portal's file system it had to
 * ask the bus for. desktop-module.c defines these names as calls into it. */
#pragma once
#include <glib.h>

#define HUTCH_DOC_PORTAL_NAME "org.freedesktop.portal.Documents"

typedef struct HutchDocBus HutchDocBus;

/* Connect to the session bus at ADDRESS and ask the portal where its file
 * system is mounted (*MOUNT), which starts it where the bus can. NULL with
 * *WHY_NONE (one phrase) when there is no portal to use. */
HutchDocBus *hutch_doc_portal_connect(const char *address, char **mount, char **why_none);
/* Export PATH (EXISTS: a file; else a new file in an existing directory)
 * for APP_ID, read-write where the user may write it; its document id. */
char *hutch_doc_portal_export(HutchDocBus *bus, const char *app_id, const char *path,
                              gboolean exists, GError **error);
/* Close the connection (closed, not only dropped: GDBus keeps an open
 * connection alive). */
void hutch_doc_portal_close(HutchDocBus *bus);
