/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "grants.h"

static void
grant_free(gpointer p)
{
  HutchGrant *g = p;
  g_free(g->text);
  g_free(g->origin);
  g_free(g);
}

static void add(GPtrArray *out, const char *topic, const char *origin, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

static void
add(GPtrArray *out, const char *topic, const char *origin, const char *fmt, ...)
{
  HutchGrant *g = g_new0(HutchGrant, 1);
  va_list ap;
  va_start(ap, fmt);
  g->topic = topic;
  g->text = g_strdup_vprintf(fmt, ap);
  g->origin = g_strdup(origin);
  va_end(ap);
  g_ptr_array_add(out, g);
}

static const char *
perm_origin(const HutchPolicy *p, const char *perm)
{
  g_autofree char *setting = g_strconcat("perm ", perm, NULL);
  return hutch_policy_origin(p, setting);
}

static void
display(GPtrArray *out, const HutchPolicy *p)
{
  gboolean x11 = hutch_policy_has(p, HUTCH_PERM_X11), wl = hutch_policy_has(p, HUTCH_PERM_WAYLAND);
  if (wl)
    add(out, "Display", perm_origin(p, "wayland"),
        "Wayland: draws windows through the compositor (%s security context)",
        hutch_wayland_mode_name(p->wayland_mode));
  if (x11 && p->x11_mode == HUTCH_X11_TRUSTED)
    add(out, "Display", perm_origin(p, "x11"),
        "X11, trusted: may also read the whole screen and type into other windows");
  else if (x11)
    add(out, "Display", perm_origin(p, "x11"),
        "X11, untrusted: draws its own windows, cannot read or type into others");
  if (!x11 && !wl)
    add(out, "Display", NULL, "No display: it cannot open windows");
}

static void
devices(GPtrArray *out, const HutchPolicy *p)
{
  if (hutch_policy_has(p, HUTCH_PERM_AUDIO))
    add(out, "Sound", perm_origin(p, "audio"),
        "Plays and records sound through its own socket to your sound server");
  if (hutch_policy_has(p, HUTCH_PERM_ALSA))
    add(out, "Sound", perm_origin(p, "alsa"), "The raw sound devices (/dev/snd)");
  if (!hutch_policy_has(p, HUTCH_PERM_AUDIO) && !hutch_policy_has(p, HUTCH_PERM_ALSA))
    add(out, "Sound", NULL, "No sound");
  if (hutch_policy_has(p, HUTCH_PERM_GPU))
    add(out, "GPU", perm_origin(p, "gpu"), "The graphics card (/dev/dri and the driver nodes)");
  else
    add(out, "GPU", NULL, "No GPU: software rendering only");
  if (hutch_policy_has(p, HUTCH_PERM_INPUT))
    add(out, "Input", perm_origin(p, "input"),
        "Input devices: game controllers, /dev/input, /dev/uinput");
  if (hutch_policy_has(p, HUTCH_PERM_SHM))
    add(out, "Shared memory", perm_origin(p, "shm"), "The host's /dev/shm");
}

static void
network(GPtrArray *out, const HutchPolicy *p)
{
  const char *origin = hutch_policy_origin(p, "network");
  switch (p->net) {
  case HUTCH_NET_NONE:
    add(out, "Network", origin, "No network: only its own loopback");
    break;
  case HUTCH_NET_HOST:
    add(out, "Network", origin, "The host's network, all of it (and the host's loopback)");
    break;
  case HUTCH_NET_USER:
    add(out, "Network", origin, "The internet through its own network namespace (pasta)");
    break;
  }
  add(out, "D-Bus", NULL, "No session or system bus");
}

static void
files(GPtrArray *out, const HutchPolicy *p)
{
  const char *origin = hutch_policy_origin(p, "home");
  switch (p->home) {
  case HUTCH_HOME_NONE:
    add(out, "Home", origin, "An empty home, gone when it ends");
    break;
  case HUTCH_HOME_PRIVATE:
    add(out, "Home", origin, "A home of its own, kept between runs (not yours)");
    break;
  case HUTCH_HOME_RO:
    add(out, "Home", origin, "Your home, read-only");
    break;
  case HUTCH_HOME_RW:
    add(out, "Home", origin, "Your home, read and write");
    break;
  }
  for (guint i = 0; i < p->paths->len; i++) {
    const HutchPathRule *r = p->paths->pdata[i];
    const char *opt = r->optional ? " (if it exists)" : "";
    switch (r->mode) {
    case HUTCH_PATH_RO:
      add(out, "Files", r->origin, "Reads %s%s", r->path, opt);
      break;
    case HUTCH_PATH_RW:
      add(out, "Files", r->origin, "Reads and writes %s%s", r->path, opt);
      break;
    case HUTCH_PATH_HIDE:
      add(out, "Files", r->origin, "Cannot see %s", r->path);
      break;
    case HUTCH_PATH_TMPFS:
      add(out, "Files", r->origin, "An empty %s of its own", r->path);
      break;
    }
  }
  if (p->rootfs == HUTCH_ROOTFS_OVERLAY)
    add(out, "System", hutch_policy_origin(p, "rootfs"),
        "Writes over the system files go to an overlay%s",
        p->persist ? ", kept between runs" : ", gone when it ends");
  if (p->image)
    add(out, "System", hutch_policy_origin(p, "image"), "Runs on image %s%s", p->image,
        p->rw_image ? ", and may change it" : "");
}

static void
relaxations(GPtrArray *out, const HutchPolicy *p)
{
  if (hutch_policy_has(p, HUTCH_PERM_DEVEL))
    add(out, "Debugging", perm_origin(p, "devel"),
        "Debuggers and profilers (ptrace, perf) inside the sandbox");
  if (hutch_policy_has(p, HUTCH_PERM_NESTED_SANDBOX))
    add(out, "Sandboxes", perm_origin(p, "nested-sandbox"),
        "May make namespaces of its own (browsers' sandboxes)");
  if (hutch_policy_has(p, HUTCH_PERM_MULTIARCH))
    add(out, "32-bit", perm_origin(p, "multiarch"), "May run 32-bit programs");
  if (p->syscall_allow->len)
    add(out, "System calls", NULL, "%u system calls allowed beyond hutch's filter",
        p->syscall_allow->len);
}

GPtrArray *
hutch_grants(const HutchPolicy *policy)
{
  GPtrArray *out = g_ptr_array_new_with_free_func(grant_free);
  display(out, policy);
  devices(out, policy);
  network(out, policy);
  files(out, policy);
  relaxations(out, policy);
  return out;
}
