/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "x11-display.h"
#include "error.h"
#include <string.h>

void
hutch_x11_display_clear(HutchX11Display *d)
{
  g_free(d->number);
  g_free(d->screen);
}

static gboolean
all_digits(const char *s, gsize len)
{
  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit(s[i]))
      return FALSE;
  return TRUE;
}

/* Accept only displays reached through a local socket: ":N[.S]" and
 * "unix:N[.S]". Anything with a host part goes over TCP, which the app's
 * own network namespace could not reach and a bind cannot pass. */
gboolean
hutch_x11_parse_display(const char *value, HutchX11Display *out, GError **error)
{
  const char *colon = strrchr(value, ':');
  if (!colon) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "x11: DISPLAY=%s is not an X display name (expected :N or unix:N)", value);
    return FALSE;
  }
  g_autofree char *host = g_strndup(value, colon - value);
  if (*host && !g_str_equal(host, "unix")) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "x11: DISPLAY=%s is a TCP display (host '%s', as with ssh -X); hutch passes "
                "only local displays (:N) through their socket; start the app on a local X "
                "server, or drop the x11 permission",
                value, host);
    return FALSE;
  }
  const char *num = colon + 1;
  const char *dot = strchr(num, '.');
  gsize num_len = dot ? (gsize)(dot - num) : strlen(num);
  if (!all_digits(num, num_len) || (dot && !all_digits(dot + 1, strlen(dot + 1)))) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "x11: DISPLAY=%s is not an X display name (expected :N or :N.S)", value);
    return FALSE;
  }
  out->number = g_strndup(num, num_len);
  out->screen = g_strdup(dot ? dot : "");
  return TRUE;
}

/* A network namespace of its own hides the host's abstract sockets; only
 * host networking leaves @/tmp/.X11-unix/XN in reach. */
void
hutch_x11_note_abstract_socket(HutchPlan *plan, const char *number, gboolean granted)
{
  gboolean own_netns = plan->policy->net != HUTCH_NET_HOST;
  if (own_netns)
    hutch_plan_note(plan,
                    "x11: the abstract socket @" HUTCH_X11_SOCKET_DIR
                    "/X%s is out of reach (own network "
                    "namespace)%s",
                    number, granted ? "; the app connects through the bound socket" : "");
  else
    hutch_plan_note(plan,
                    "x11: network is host, so the abstract socket @" HUTCH_X11_SOCKET_DIR "/X%s is "
                    "reachable%s",
                    number,
                    granted ? "; the server still admits only the cookie given"
                            : " although x11 is not granted; the server admits only clients "
                              "holding a cookie (or allowed by xhost)");
}
