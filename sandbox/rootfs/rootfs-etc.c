/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The host root's /etc, in one of two modes (etc= in a profile, --etc):
 *
 * host     the host's /etc read-only as a whole, one bind, less a short
 *          mask list. Programs from the host's /usr read their own files
 *          there (/etc/chromium.d, /etc/firefox-esr, /etc/gimp, /etc/vlc,
 *          /etc/xdg, /etc/drirc, ...); an allowlist breaks them one by one.
 *          firejail's default and flatpak-style host runtimes do the same.
 * minimal  the entries most dynamically linked desktop programs read, one
 *          bind each; a profile whose app is shown to work with it opts in.
 *
 * Unix permissions still hold inside (the app runs as the user, with no
 * capabilities): the masks are for what a host makes readable by design or
 * by mistake but a sandboxed app has no business reading. */
#include "config.h"
#include "error.h"
#include "rootfs.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define WHY "host rootfs"
#define WHY_MASK "etc mask"

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

/* What the host's /etc keeps from the app, and why. Kept short: each entry
 * is a secret or a map for an attacker at a well-known path, not merely
 * something the app does not need. Not masked, on purpose: machine-id
 * (D-Bus and PulseAudio clients need it, as under flatpak), passwd and
 * group (name lookups; no hashes), cups/client.conf and lpoptions (apps
 * print with them), fstab (GIO lists mounts from it). */
typedef struct {
  const char *path; /* relative to /etc */
  const char *why;
} EtcMask;

static const EtcMask etc_masks[] = {
    {"shadow", "password hashes"},
    {"shadow-", "password hashes"},
    {"gshadow", "group password hashes"},
    {"gshadow-", "group password hashes"},
    {"security/opasswd", "old password hashes"},
    {"sudoers", "who may become root, and how"},
    {"sudoers.d", "who may become root, and how"},
    {"doas.conf", "who may become root, and how"},
    {"ssh/ssh_host_rsa_key", "the machine's SSH identity"},
    {"ssh/ssh_host_ecdsa_key", "the machine's SSH identity"},
    {"ssh/ssh_host_ed25519_key", "the machine's SSH identity"},
    {"ssh/ssh_host_dsa_key", "the machine's SSH identity"},
    {"ssl/private", "TLS private keys"},
    {"krb5.keytab", "Kerberos keys of the machine"},
    {"NetworkManager/system-connections", "Wi-Fi passwords and VPN secrets"},
    {"wpa_supplicant", "Wi-Fi passphrases"},
    {"iwd", "Wi-Fi passphrases"},
    {"wireguard", "VPN private keys"},
    {"openvpn", "VPN keys and credentials"},
    {"ipsec.secrets", "IPsec keys"},
    {"ipsec.d/private", "IPsec keys"},
    {"ppp/chap-secrets", "dial-up and PPPoE passwords"},
    {"ppp/pap-secrets", "dial-up and PPPoE passwords"},
    {"cups/printers.conf", "printer addresses with their credentials"},
    {"cups/ssl", "the print server's TLS keys"},
    /* /etc/hutch, or /usr/local/etc/hutch: wherever this hutch looks. */
    {HUTCH_SYSCONFDIR, "hutch's own profiles: how every sandbox is confined"},
    {NULL, NULL},
};

static gboolean
plan_etc_minimal(HutchPlan *plan, GError **error)
{
  HutchOp *op = hutch_plan_add_op(plan, HUTCH_OP_MKDIR, NULL, "/etc", WHY);
  op->mode = 0755;
  for (const char *const *e = etc_entries; *e; e++) {
    g_autofree char *path = g_build_filename("/etc", *e, NULL);
    if (!hutch_plan_bind(plan, path, path, HUTCH_OPF_RDONLY | HUTCH_OPF_OPTIONAL, WHY, error))
      return FALSE;
  }
  return TRUE;
}

/* An empty, unreadable, read-only file over FILE (the one plan/home.c's
 * hides use: the sandbox's runtime dir's "empty", mode 0000). */
static gboolean
mask_file(HutchPlan *plan, const char *file, const char *why, GError **error)
{
  if (!plan->runtime_dir) { /* dry run: nothing is created on the host */
    HutchOp *op = hutch_plan_add_op(plan, HUTCH_OP_BIND, "/(empty file)", file, why);
    op->flags = HUTCH_OPF_RDONLY | HUTCH_OPF_FILE;
    return TRUE;
  }
  g_autofree char *empty = g_build_filename(plan->runtime_dir, "empty", NULL);
  if (!g_file_test(empty, G_FILE_TEST_EXISTS) &&
      !g_file_set_contents_full(empty, "", 0, G_FILE_SET_CONTENTS_NONE, 0000, error))
    return FALSE;
  return hutch_plan_bind(plan, empty, file, HUTCH_OPF_RDONLY, why, error);
}

/* An empty, unreadable directory over DIR, sealed read-only by the finish
 * step (which also lets a profile's grant inside it through, as with
 * hide=). */
static void
mask_dir(HutchPlan *plan, const char *dir, const char *why)
{
  HutchOp *op = hutch_plan_add_op(plan, HUTCH_OP_TMPFS, NULL, dir, why);
  op->data = "mode=0000,size=4k";
  op->flags = HUTCH_OPF_SEAL;
}

/* Whether host path REAL is in the sandbox: all of /etc in host mode, the
 * allowlisted entries (ssl, say, with ssl/private inside) in minimal mode;
 * /usr and /opt either way. */
static gboolean
visible(HutchPlan *plan, const char *real)
{
  if (g_str_has_prefix(real, "/usr/") || g_str_has_prefix(real, "/opt/"))
    return TRUE;
  if (!g_str_has_prefix(real, "/etc/"))
    return FALSE;
  if (plan->policy->etc == HUTCH_ETC_HOST)
    return TRUE;
  for (const char *const *e = etc_entries; *e; e++) {
    gsize n = strlen(*e);
    const char *rel = real + strlen("/etc/");
    if (strncmp(rel, *e, n) == 0 && rel[n] == '/')
      return TRUE;
  }
  return FALSE;
}

/* A symlinked entry is masked where it leads, when that is in the sandbox
 * (the child refuses to mount on a symlink); what it leads to elsewhere
 * is not in the sandbox to begin with. */
static gboolean
plan_mask(HutchPlan *plan, const EtcMask *mask, GError **error)
{
  g_autofree char *path = g_path_is_absolute(mask->path)
                              ? g_strdup(mask->path)
                              : g_build_filename("/etc", mask->path, NULL);
  struct stat st;
  g_autofree char *real = hutch_plan_resolve(plan, path, &st);
  if (!real || !visible(plan, real))
    return TRUE;
  g_autofree char *why = g_strdup_printf("%s: %s", WHY_MASK, mask->why);
  if (S_ISDIR(st.st_mode)) {
    mask_dir(plan, real, why);
    return TRUE;
  }
  return mask_file(plan, real, why, error);
}

static gboolean
plan_masks(HutchPlan *plan, GError **error)
{
  guint before = plan->ops->len;
  for (const EtcMask *m = etc_masks; m->path; m++)
    if (!plan_mask(plan, m, error))
      return FALSE;
  hutch_plan_note(plan, "etc: %s, %u entries masked (see etc= in hutch-profile(5))",
                  plan->policy->etc == HUTCH_ETC_HOST ? "the host's /etc read-only"
                                                      : "minimal: the allowlisted entries only",
                  plan->ops->len - before);
  return TRUE;
}

static gboolean
plan_etc_host(HutchPlan *plan, GError **error)
{
  return hutch_plan_bind(plan, "/etc", "/etc", HUTCH_OPF_RDONLY, WHY, error);
}

/* Where the host's /etc/resolv.conf leads out of /etc (systemd-resolved's
 * /run/systemd/resolve/stub-resolv.conf, NetworkManager's or resolvconf's
 * file in /run), as a path in the sandbox, its directories resolved; NULL
 * when it is a plain file of /etc. The target need not exist. */
static char *
resolv_conf_target(void)
{
  g_autofree char *path = g_strdup("/etc/resolv.conf");
  for (int links = 0; links < 40; links++) {
    struct stat st;
    if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
      break;
    g_autofree char *target = g_file_read_link(path, NULL);
    if (!target)
      return NULL;
    g_autofree char *dir = g_path_get_dirname(path);
    g_free(path);
    path = g_canonicalize_filename(target, dir);
  }
  g_autofree char *dir = g_path_get_dirname(path);
  g_autofree char *base = g_path_get_basename(path);
  g_autofree char *real_dir = realpath(dir, NULL);
  g_autofree char *resolved = g_build_filename(real_dir ? real_dir : dir, base, NULL);
  if (g_str_has_prefix(resolved, "/etc/"))
    return NULL;
  return g_steal_pointer(&resolved);
}

/* A resolv.conf that links into /run would dangle in the sandbox's fresh
 * /run: the host's file is bound where the link leads (once /run is
 * there), and a network step that writes its own binds it there too. */
static gboolean
plan_resolv_conf_link(HutchPlan *plan, GError **error)
{
  g_autofree char *target = resolv_conf_target();
  if (!target)
    return TRUE;
  plan->resolv_conf = g_string_chunk_insert(plan->strings, target);
  return hutch_plan_bind(plan, target, target, HUTCH_OPF_RDONLY | HUTCH_OPF_OPTIONAL,
                         "host rootfs: where /etc/resolv.conf leads", error);
}

gboolean
hutch_rootfs_host_etc(HutchPlan *plan, GError **error)
{
  gboolean ok = plan->policy->etc == HUTCH_ETC_MINIMAL ? plan_etc_minimal(plan, error)
                                                       : plan_etc_host(plan, error);
  if (!ok || !plan_masks(plan, error))
    return FALSE;
  /* Font and icon caches let GUI apps start fast and without warnings. */
  return hutch_plan_bind(plan, "/var/cache/fontconfig", "/var/cache/fontconfig",
                         HUTCH_OPF_RDONLY | HUTCH_OPF_OPTIONAL, WHY, error);
}

gboolean
hutch_rootfs_host_etc_links(HutchPlan *plan, GError **error)
{
  if (plan->policy->etc == HUTCH_ETC_MINIMAL)
    return TRUE; /* the allowlist binds the file resolv.conf leads to */
  return plan_resolv_conf_link(plan, error);
}
