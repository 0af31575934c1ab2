/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "template-debian.h"
#include "error.h"
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#define DEFAULT_MIRROR "http://deb.debian.org/debian"
#define DEFAULT_RELEASE "bookworm"

static char *
os_release_value(const char *key)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents("/etc/os-release", &text, NULL, NULL))
    return NULL;
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  g_autofree char *prefix = g_strconcat(key, "=", NULL);
  for (char **l = lines; *l; l++)
    if (g_str_has_prefix(*l, prefix)) {
      char *v = g_shell_unquote(*l + strlen(prefix), NULL);
      return v ? v : g_strdup(*l + strlen(prefix));
    }
  return NULL;
}

/* The host's Debian codename, or NULL on another distribution. */
static char *
host_debian_release(void)
{
  g_autofree char *id = os_release_value("ID");
  return id && g_str_equal(id, "debian") ? os_release_value("VERSION_CODENAME") : NULL;
}

static const char *
host_arch(void)
{
  static const struct {
    const char *machine, *arch;
  } arches[] = {
      {"x86_64", "amd64"}, {"i686", "i386"},       {"i386", "i386"},   {"aarch64", "arm64"},
      {"armv7l", "armhf"}, {"ppc64le", "ppc64el"}, {"s390x", "s390x"}, {"riscv64", "riscv64"},
  };
  struct utsname u;
  if (uname(&u) == 0)
    for (gsize i = 0; i < G_N_ELEMENTS(arches); i++)
      if (g_str_equal(u.machine, arches[i].machine))
        return arches[i].arch;
  return NULL;
}

typedef struct {
  char *uri;
  GStrv suites;
} Source;

static void
source_free(gpointer p)
{
  Source *s = p;
  g_free(s->uri);
  g_strfreev(s->suites);
  g_free(s);
}

static void
add_source(GPtrArray *out, const char *uri, const char *suites)
{
  if (!g_str_has_prefix(uri, "http://") && !g_str_has_prefix(uri, "https://") &&
      !g_str_has_prefix(uri, "file:/"))
    return;
  Source *s = g_new0(Source, 1);
  s->uri = g_strdup(uri);
  s->suites = g_strsplit_set(suites, " \t", -1);
  g_ptr_array_add(out, s);
}

/* One-line format: deb [options] URI SUITE COMPONENT... */
static void
parse_list(GPtrArray *out, const char *text)
{
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (char **l = lines; *l; l++) {
    g_autofree char *line = g_strstrip(g_strdup(*l));
    if (!g_str_has_prefix(line, "deb ") && !g_str_has_prefix(line, "deb\t"))
      continue;
    char *rest = line + 4;
    rest += strspn(rest, " \t");
    if (*rest == '[') {
      char *close = strchr(rest, ']');
      if (!close)
        continue;
      rest = close + 1;
    }
    g_auto(GStrv) f = g_strsplit_set(g_strstrip(rest), " \t", 3);
    if (g_strv_length(f) >= 2)
      add_source(out, f[0], f[1]);
  }
}

/* deb822 format: stanzas of Types:, URIs:, Suites: fields. */
static void
parse_sources(GPtrArray *out, const char *text)
{
  g_auto(GStrv) stanzas = g_regex_split_simple("\\n\\s*\\n", text, 0, 0);
  for (char **st = stanzas; *st; st++) {
    g_autofree char *types = NULL, *uris = NULL, *suites = NULL;
    g_auto(GStrv) lines = g_strsplit(*st, "\n", -1);
    for (char **l = lines; *l; l++) {
      char **field = g_str_has_prefix(*l, "Types:")    ? &types
                     : g_str_has_prefix(*l, "URIs:")   ? &uris
                     : g_str_has_prefix(*l, "Suites:") ? &suites
                                                       : NULL;
      if (field) {
        g_free(*field);
        *field = g_strstrip(g_strdup(strchr(*l, ':') + 1));
      }
    }
    if (!types || !uris || !suites)
      continue;
    g_auto(GStrv) type_list = g_strsplit_set(types, " \t", -1);
    if (!g_strv_contains((const char *const *)type_list, "deb"))
      continue;
    g_auto(GStrv) uri_list = g_strsplit_set(uris, " \t", -1);
    for (char **u = uri_list; *u; u++)
      if (**u)
        add_source(out, *u, suites);
  }
}

static GPtrArray *
apt_sources(void)
{
  GPtrArray *out = g_ptr_array_new_with_free_func(source_free);
  g_autofree char *main_list = NULL;
  if (g_file_get_contents("/etc/apt/sources.list", &main_list, NULL, NULL))
    parse_list(out, main_list);
  g_autoptr(GDir) dir = g_dir_open("/etc/apt/sources.list.d", 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  const char *name;
  while (dir && (name = g_dir_read_name(dir)))
    g_ptr_array_add(names, g_strdup(name));
  g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
  for (guint i = 0; i < names->len; i++) {
    const char *n = names->pdata[i];
    g_autofree char *path = g_build_filename("/etc/apt/sources.list.d", n, NULL);
    g_autofree char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, NULL))
      continue;
    if (g_str_has_suffix(n, ".list"))
      parse_list(out, text);
    else if (g_str_has_suffix(n, ".sources"))
      parse_sources(out, text);
  }
  return out;
}

static const char *
find_suite(GPtrArray *sources, const char *suite)
{
  for (guint i = 0; suite && i < sources->len; i++) {
    Source *s = sources->pdata[i];
    if (g_strv_contains((const char *const *)s->suites, suite))
      return s->uri;
  }
  return NULL;
}

/* The archive apt already uses here: one that serves RELEASE, else the one
 * serving the host's own Debian release; deb.debian.org when neither. */
static char *
apt_mirror(const char *release)
{
  g_autoptr(GPtrArray) sources = apt_sources();
  g_autofree char *host = host_debian_release();
  const char *uri = find_suite(sources, release);
  if (!uri)
    uri = find_suite(sources, host);
  return g_strdup(uri ? uri : DEFAULT_MIRROR);
}

gboolean
hutch_debian_resolve(HutchDebianOptions *o, GError **error)
{
  if (!o->release) {
    o->release = host_debian_release();
    if (!o->release)
      o->release = g_strdup(DEFAULT_RELEASE);
  }
  const char *native = host_arch();
  if (!o->arch)
    o->arch = g_strdup(native ? native : "amd64");
  gboolean runnable = native && (g_str_equal(o->arch, native) ||
                                 (g_str_equal(native, "amd64") && g_str_equal(o->arch, "i386")));
  if (!runnable) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "--arch %s: this machine cannot run %s programs, which debootstrap's second "
                "stage must (use %s%s)",
                o->arch, o->arch, native ? native : "the host's architecture",
                native && g_str_equal(native, "amd64") ? " or i386" : "");
    return FALSE;
  }
  if (!g_regex_match_simple("^[a-z0-9][a-z0-9.+-]*$", o->release, 0, 0)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "--release %s: not a Debian release name (bookworm, trixie, ...)", o->release);
    return FALSE;
  }
  if (o->include && !g_regex_match_simple("^[a-z0-9][a-z0-9.+,-]*$", o->include, 0, 0)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "--include %s: expected package names separated by commas", o->include);
    return FALSE;
  }
  if (!o->mirror)
    o->mirror = apt_mirror(o->release);
  return TRUE;
}

static char *
find_debootstrap(void)
{
  const char *dirs[] = {"/usr/sbin", "/sbin", "/usr/bin", "/usr/local/sbin", NULL};
  for (const char **d = dirs; *d; d++) {
    char *p = g_build_filename(*d, "debootstrap", NULL);
    if (access(p, X_OK) == 0)
      return p;
    g_free(p);
  }
  return NULL;
}

char **
hutch_debian_argv(const HutchDebianOptions *o, const char *target, GError **error)
{
  g_autofree char *debootstrap = find_debootstrap();
  if (!debootstrap) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST,
                "debootstrap is not installed (apt install debootstrap)");
    return NULL;
  }
  GPtrArray *argv = g_ptr_array_new();
  g_ptr_array_add(argv, g_steal_pointer(&debootstrap));
  g_ptr_array_add(argv, g_strdup("--variant=minbase"));
  g_ptr_array_add(argv, g_strdup_printf("--arch=%s", o->arch));
  if (o->include)
    g_ptr_array_add(argv, g_strdup_printf("--include=%s", o->include));
  g_ptr_array_add(argv, g_strdup(o->release));
  g_ptr_array_add(argv, g_strdup(target));
  g_ptr_array_add(argv, g_strdup(o->mirror));
  g_ptr_array_add(argv, NULL);
  return (char **)g_ptr_array_free(argv, FALSE);
}

/* apt's own proxy setting, when the environment has none. */
static char *
apt_proxy(void)
{
  g_autofree char *out = NULL;
  const char *argv[] = {"apt-config", "shell", "P", "Acquire::http::Proxy", NULL};
  if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                    NULL, NULL, &out, NULL, NULL, NULL) ||
      !out || !g_str_has_prefix(out, "P="))
    return NULL;
  return g_shell_unquote(g_strstrip(out) + 2, NULL);
}

char **
hutch_debian_envp(void)
{
  /* container=lxc makes debootstrap fall back from mknod, which no user
   * namespace allows, to what a container can do. HOME is not the host's
   * /root, which the namespace's root cannot read. */
  char **envp = g_strsplit("PATH=/usr/sbin:/usr/bin:/sbin:/bin|container=lxc|LC_ALL=C.UTF-8|"
                           "DEBIAN_FRONTEND=noninteractive|HOME=/",
                           "|", -1);
  const char *proxies[] = {"http_proxy",  "https_proxy", "no_proxy", "HTTP_PROXY",
                           "HTTPS_PROXY", "NO_PROXY",    NULL};
  gboolean have_proxy = FALSE;
  for (const char **p = proxies; *p; p++)
    if (g_getenv(*p)) {
      envp = g_environ_setenv(envp, *p, g_getenv(*p), TRUE);
      have_proxy = TRUE;
    }
  g_autofree char *apt = have_proxy ? NULL : apt_proxy();
  if (apt && *apt)
    envp = g_environ_setenv(envp, "http_proxy", apt, TRUE);
  return envp;
}

char **
hutch_steam_template_argv(const char *rootfs)
{
  static const char script[] =
      "set -e\n"
      "root=$1\n"
      "for d in null zero full random urandom tty; do\n"
      "    [ -e \"$root/dev/$d\" ] || touch \"$root/dev/$d\"\n"
      "    mount --bind \"/dev/$d\" \"$root/dev/$d\"\n"
      "done\n"
      "mount -t proc proc \"$root/proc\"\n"
      "cp /etc/resolv.conf \"$root/etc/resolv.conf\"\n"
      "chroot \"$root\" /bin/sh -c '\n"
      "    set -e\n"
      "    dpkg --add-architecture i386\n"
      "    apt-get update\n"
      "    apt-get install -y --no-install-recommends " HUTCH_STEAM_PACKAGES "\n"
      "    apt-get clean'\n";
  char *argv[] = {"/bin/sh", "-c", (char *)script, "sh", (char *)rootfs, NULL};
  return g_strdupv(argv);
}
