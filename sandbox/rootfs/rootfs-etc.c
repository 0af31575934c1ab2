/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The host root's /etc. */
#include "error.h"
#include "rootfs.h"

#define WHY "host rootfs"

/* What a dynamically linked desktop program reads from /etc. Everything
 * else (shadow, sudoers, ssh keys, machine secrets) stays out. */
static const char *const etc_entries[] = {
    "passwd",
    "group",
    "hosts",
    "host.conf",
    "resolv.conf",
    "nsswitch.conf",
    "gai.conf",
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "localtime",
    "timezone",
    "ssl",
    "ca-certificates",
    "ca-certificates.conf",
    "pki",
    "crypto-policies",
    "fonts",
    "alternatives",
    "mime.types",
    "machine-id",
    "os-release",
    "lsb-release",
    "debian_version",
    "locale.alias",
    "locale.conf",
    "default/locale",
    "xdg",
    "gtk-2.0",
    "gtk-3.0",
    "gtk-4.0",
    "pulse",
    "alsa",
    "asound.conf",
    "vulkan",
    "glvnd",
    "drirc",
    "X11",
    "dconf",
    "profile",
    "bash.bashrc",
    "inputrc",
    "terminfo",
    "environment",
    "shells",
    "protocols",
    "services",
    "networks",
    "magic",
    "magic.mime",
    "mailcap",
    "sensors3.conf",
    "libva.conf",
    "OpenCL",
    "nvidia",
    "selinux/config",
    NULL,
};

gboolean
hutch_rootfs_host_etc(HutchPlan *plan, GError **error)
{
  HutchOp *op = hutch_plan_add_op(plan, HUTCH_OP_MKDIR, NULL, "/etc", WHY);
  op->mode = 0755;
  for (const char *const *e = etc_entries; *e; e++) {
    g_autofree char *path = g_build_filename("/etc", *e, NULL);
    if (!hutch_plan_bind(plan, path, path, HUTCH_OPF_RDONLY | HUTCH_OPF_OPTIONAL, WHY, error))
      return FALSE;
  }
  /* Font and icon caches let GUI apps start fast and without warnings. */
  return hutch_plan_bind(plan, "/var/cache/fontconfig", "/var/cache/fontconfig",
                         HUTCH_OPF_RDONLY | HUTCH_OPF_OPTIONAL, WHY, error);
}
