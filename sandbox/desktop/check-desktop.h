/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch check's desktop lines: only probes (is the X SECURITY extension
 * there, does the compositor offer security-context, which audio server
 * answers); the passthroughs themselves live in their own files. */
#pragma once
#include <glib.h>

typedef struct {
  const char *name;
  gboolean ok;
  char *detail;
} HutchCheckItem;

/* HutchCheckItem*, in the order to print them. */
GPtrArray *hutch_check_desktop(void);
