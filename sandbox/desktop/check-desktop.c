/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "check-desktop.h"
#include "display.h"
#include "pulse.h"
#include "x11-display.h"
#include "x11-xserver.h"
#include "unix-socket.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define WAYLAND_TIMEOUT_MS 2000

static void
item_free(gpointer p)
{
  HutchCheckItem *item = p;
  g_free(item->detail);
  g_free(item);
}

static void
add(GPtrArray *items, const char *name, gboolean ok, char *detail)
{
  HutchCheckItem *item = g_new0(HutchCheckItem, 1);
  item->name = name;
  item->ok = ok;
  item->detail = detail;
  g_ptr_array_add(items, item);
}

static gboolean
abstract_listening(const char *path)
{
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (strlen(path) + 1 >= sizeof(addr.sun_path))
    return FALSE;
  strcpy(addr.sun_path + 1, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return FALSE;
  socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(path));
  gboolean ok = connect(fd, (struct sockaddr *)&addr, len) == 0;
  close(fd);
  return ok;
}

/* The X server's abstract socket is reachable from any process sharing the
 * host's network namespace; sandboxes have their own unless net=host. */
static void
check_x11_abstract(GPtrArray *items, const char *display)
{
  g_auto(HutchX11Display) d = {0};
  if (!display || !*display || !hutch_x11_parse_display(display, &d, NULL))
    return;
  g_autofree char *path = g_strdup_printf(HUTCH_X11_SOCKET_DIR "/X%s", d.number);
  if (abstract_listening(path))
    add(items, "X11 abstract socket", TRUE,
        g_strdup_printf(
            "risk: the X server also listens on @%s, which every process with the host's "
            "network reaches, sandboxes with --net host among them: with a cookie, "
            "or with none where the server's access list admits you (xhost "
            "+si:localuser); sandboxes with their own network (none, user) cannot. "
            "Start the server with '-nolisten local' to close it",
            path));
  else
    add(items, "X11 abstract socket", TRUE,
        g_strdup_printf("the X server does not listen on @%s: only the bound socket %s "
                        "reaches it",
                        path, path));
}

/* Where the server admits this user with no cookie, every client of theirs
 * is trusted: the untrusted mode cannot hold, and hutch refuses it. */
static void
check_x11_access(GPtrArray *items, const char *display, const char *cookieless)
{
  if (!cookieless) {
    add(items, "X11 host access", TRUE,
        g_strdup_printf("the X server on %s admits only clients holding a cookie", display));
    return;
  }
  g_autofree char *entry = g_str_equal(cookieless, "+")
                               ? g_strdup("access control is disabled (xhost +)")
                               : g_strdup_printf("its access list admits you without a cookie "
                                                 "(xhost +%s)",
                                                 cookieless);
  g_autofree char *fix =
      g_str_equal(cookieless, "+") ? g_strdup("xhost -") : g_strdup_printf("xhost -%s", cookieless);
  add(items, "X11 host access", FALSE,
      g_strdup_printf("on %s %s: untrusted X11 launches are refused (so is nested with network "
                      "host) until you run '%s'",
                      display, entry, fix));
}

static void
check_x11(GPtrArray *items)
{
  const char *display = g_getenv("DISPLAY");
  if (!display || !*display) {
    add(items, "X11 SECURITY", FALSE,
        g_strdup("no X display ($DISPLAY is unset); needed only for X11 apps"));
    return;
  }
  g_autoptr(GError) error = NULL;
  gboolean ok;
  g_autofree char *cookieless = NULL;
  if (!hutch_x11_probe(display, &ok, &cookieless, &error)) {
    const char *why = error->message;
    add(items, "X11 SECURITY", FALSE,
        g_strdup(g_str_has_prefix(why, "x11: ") ? why + strlen("x11: ") : why));
    return;
  }
  add(items, "X11 SECURITY", ok,
      ok ? g_strdup_printf("on %s: X11 apps get an untrusted cookie", display)
         : g_strdup_printf("the X server on %s lacks the SECURITY extension: X11 apps can "
                           "only get a trusted cookie (they can read other windows), or run "
                           "nested",
                           display));
  check_x11_access(items, display, cookieless);
}

/* x11=nested runs xpra and Xvfb. */
static void
check_x11_nested(GPtrArray *items)
{
  g_autofree char *xpra = g_find_program_in_path("xpra");
  g_autofree char *xvfb = g_find_program_in_path("Xvfb");
  if (xpra && xvfb)
    add(items, "X11 nested", TRUE,
        g_strdup_printf("%s and %s: x11=nested gives an app an X server of its own", xpra, xvfb));
  else
    add(items, "X11 nested", FALSE,
        g_strdup_printf("%s is not installed: x11=nested is unavailable (Debian: apt install "
                        "xpra xvfb python3-pil python3-gi-cairo)",
                        xpra ? "Xvfb" : "xpra"));
}

static void
put_u32(GByteArray *buf, guint32 v)
{
  g_byte_array_append(buf, (const guint8 *)&v, 4);
}

/* The Wayland wire protocol by hand: wl_display.get_registry (new id 2)
 * and wl_display.sync (new id 3), then read wl_registry.global events until
 * the sync callback's done. TRUE when the compositor answered. */
static gboolean
wayland_globals_have(int fd, const char *wanted, gboolean *found)
{
  g_autoptr(GByteArray) out = g_byte_array_new();
  put_u32(out, 1);
  put_u32(out, (12u << 16) | 1);
  put_u32(out, 2);
  put_u32(out, 1);
  put_u32(out, (12u << 16) | 0);
  put_u32(out, 3);
  if (write(fd, out->data, out->len) != (gssize)out->len)
    return FALSE;
  g_autoptr(GByteArray) in = g_byte_array_new();
  *found = FALSE;
  for (;;) {
    while (in->len >= 8) {
      guint32 obj, size_op;
      memcpy(&obj, in->data, 4);
      memcpy(&size_op, in->data + 4, 4);
      guint32 size = size_op >> 16, opcode = size_op & 0xffff;
      if (size < 8)
        return FALSE;
      if (in->len < size)
        break;
      if (obj == 3 && opcode == 0)
        return TRUE;
      if (obj == 1 && opcode == 0)
        return FALSE; /* wl_display.error */
      if (obj == 2 && opcode == 0 && size >= 16) {
        guint32 len;
        memcpy(&len, in->data + 12, 4);
        if (len > 0 && 16 + len <= size && in->data[16 + len - 1] == '\0' &&
            g_str_equal((const char *)in->data + 16, wanted))
          *found = TRUE;
      }
      g_byte_array_remove_range(in, 0, size);
    }
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, WAYLAND_TIMEOUT_MS) <= 0)
      return FALSE;
    guint8 buf[4096];
    gssize n = read(fd, buf, sizeof(buf));
    if (n <= 0)
      return FALSE;
    g_byte_array_append(in, buf, (guint)n);
  }
}

static void
check_wayland(GPtrArray *items)
{
  const char *display = g_getenv("WAYLAND_DISPLAY");
  const char *runtime = g_getenv("XDG_RUNTIME_DIR");
  if (!display || !*display) {
    add(items, "Wayland security-context", FALSE,
        g_strdup("no Wayland compositor ($WAYLAND_DISPLAY is unset); needed only for Wayland "
                 "apps"));
    return;
  }
  g_autofree char *path = g_path_is_absolute(display)
                              ? g_strdup(display)
                              : g_build_filename(runtime ? runtime : "", display, NULL);
  int fd = hutch_unix_connect(path);
  if (fd < 0) {
    add(items, "Wayland security-context", FALSE,
        g_strdup_printf("cannot connect to %s: %s", path, g_strerror(errno)));
    return;
  }
  gboolean found = FALSE;
  gboolean answered = wayland_globals_have(fd, "wp_security_context_manager_v1", &found);
  close(fd);
  if (!answered)
    add(items, "Wayland security-context", FALSE,
        g_strdup_printf("the compositor at %s did not answer", path));
  else
    add(items, "Wayland security-context", found,
        found ? g_strdup("the compositor can tell sandboxed clients apart")
              : g_strdup("the compositor lacks wp_security_context_manager_v1: sandboxed "
                         "Wayland apps are ordinary clients to it"));
}

static void
check_audio(GPtrArray *items)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HutchPulse) pulse = hutch_pulse_open(&error);
  if (!pulse) {
    add(items, "audio server", FALSE,
        g_strdup_printf("%s; audio needs PulseAudio or pipewire-pulse", error->message));
    return;
  }
  /* Who answers on the socket tells PulseAudio from pipewire-pulse. */
  g_autofree char *comm = NULL;
  HutchSoundServer peer = hutch_pulse_peer(pulse, &comm);
  const char *name = peer == HUTCH_SOUND_SERVER_PIPEWIRE     ? "pipewire-pulse"
                     : peer == HUTCH_SOUND_SERVER_PULSEAUDIO ? "PulseAudio"
                                                             : NULL;
  g_autofree char *other =
      name ? NULL : g_strdup_printf("a PulseAudio-compatible server (%s)", comm ? comm : "unknown");
  add(items, "audio server", TRUE,
      g_strdup_printf("%s at %s: each sandbox gets its own socket, relayed and filtered by "
                      "its hutch",
                      name ? name : other, hutch_pulse_server(pulse)));
}

/* What the `display` permission of the shipped GUI profiles becomes here. */
static void
check_display(GPtrArray *items)
{
  g_autofree char *why = NULL;
  switch (hutch_display_of_session(&why)) {
  case HUTCH_DISPLAY_WAYLAND:
    add(items, "display", TRUE,
        g_strdup_printf("Wayland: %s; apps granted `display` draw natively, X11 only for "
                        "those that also grant x11",
                        why));
    return;
  case HUTCH_DISPLAY_X11:
    add(items, "display", TRUE, g_strdup_printf("%s: apps granted `display` get X11", why));
    return;
  case HUTCH_DISPLAY_NONE:
    break;
  }
  add(items, "display", FALSE,
      g_strdup_printf("none: %s; GUI apps need your desktop session", why));
}

GPtrArray *
hutch_check_desktop(void)
{
  GPtrArray *items = g_ptr_array_new_with_free_func(item_free);
  check_display(items);
  check_x11(items);
  check_x11_abstract(items, g_getenv("DISPLAY"));
  check_x11_nested(items);
  check_wayland(items);
  check_audio(items);
  return items;
}
