/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Building HTML with everything escaped by default: names, commands and
 * paths may hold anything, markup included, so the one way text enters a
 * page is through these functions. */
#pragma once
#include <glib.h>
#include <stdarg.h>

/* Append TEXT as HTML text or attribute value: & < > " ' escaped, invalid
 * UTF-8 replaced, and control characters other than tab and newline shown
 * as \xNN (as hutch prints them on a terminal). NULL appends nothing. */
void hutch_html_escape(GString *out, const char *text);
/* Append FMT to OUT. Conversions:
 *   %s  text (const char *), escaped as above;
 *   %u  a URL path segment (const char *), percent-encoded, then escaped;
 *   %H  markup the caller built (const char *), as is;
 *   %d  an int;  %%  a percent sign.
 * Anything else in FMT is copied as is: FMT itself is trusted markup. */
void hutch_html(GString *out, const char *fmt, ...);
void hutch_html_v(GString *out, const char *fmt, va_list ap);
