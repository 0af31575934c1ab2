/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch check: like lxc-checkconfig, for this kernel, system and user.
 * Every line is "ITEM: enabled|missing — details or what to do"; the exit
 * status is 1 when a sandbox cannot start at all. Kernel features are
 * probed by trying them in a throwaway child, not guessed from config. */
#include "userns-blocker.h"
#include "cgroup.h"
#include "check-desktop.h"
#include "cmd-common.h"
#include "commands.h"
#include "error.h"
#include "print.h"
#include "idholder.h"
#include "idmap.h"
#include "overlay.h"
#include "pasta.h"
#include "paths.h"
#include "reslimit.h"
#include "state.h"
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
  gboolean fatal; /* some item a sandbox cannot start without is missing */
} Report;

static void line(Report *r, const char *item, gboolean ok, gboolean needed, const char *fmt, ...)
    G_GNUC_PRINTF(5, 6);

static void
line(Report *r, const char *item, gboolean ok, gboolean needed, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *detail = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_autofree char *label = g_strdup_printf("%s:", item);
  hutch_print_line(stdout, "%-26s %s — %s", label, ok ? "enabled" : "missing", detail);
  if (!ok && needed)
    r->fatal = TRUE;
}

/* --- probes in a throwaway child ---------------------------------------- */

typedef enum {
  PROBE_USERNS = 1,
  PROBE_MAP,
  PROBE_OTHER_NS,
  PROBE_MOUNT,
  PROBE_CGROUPNS,
  PROBE_OVERLAY,
} ProbeStep;

/* The child reports the step that failed and its errno through a pipe. */
static G_GNUC_NORETURN void
probe_fail(int fd, ProbeStep step)
{
  int msg[2] = {step, errno};
  ssize_t n G_GNUC_UNUSED = write(fd, msg, sizeof(msg));
  _exit(1);
}

static G_GNUC_NORETURN void
probe_child(int fd, ProbeStep upto)
{
  uid_t uid = getuid();
  gid_t gid = getgid();
  if (unshare(CLONE_NEWUSER) < 0)
    probe_fail(fd, PROBE_USERNS);
  int err = hutch_idmap_write_single("/proc/self", uid, gid);
  if (err) {
    errno = err;
    probe_fail(fd, PROBE_MAP);
  }
  if (unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET) < 0)
    probe_fail(fd, PROBE_OTHER_NS);
  /* AppArmor's userns restriction lets the namespace be made but takes
   * the capabilities in it away: a mount is what tells. */
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
      mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700") < 0)
    probe_fail(fd, PROBE_MOUNT);
  if (upto >= PROBE_CGROUPNS && access("/proc/self/ns/cgroup", F_OK) == 0 &&
      unshare(CLONE_NEWCGROUP) < 0)
    probe_fail(fd, PROBE_CGROUPNS);
  if (upto >= PROBE_OVERLAY) {
    if (mkdir("/tmp/u", 0700) < 0 || mkdir("/tmp/w", 0700) < 0 || mkdir("/tmp/m", 0700) < 0 ||
        mount("overlay", "/tmp/m", "overlay", 0, "lowerdir=/usr,upperdir=/tmp/u,workdir=/tmp/w") <
            0)
      probe_fail(fd, PROBE_OVERLAY);
  }
  _exit(0);
}

/* 0 when everything up to UPTO worked, else the failed step and *err. */
static ProbeStep
probe(ProbeStep upto, int *err)
{
  int fds[2];
  *err = 0;
  if (pipe2(fds, O_CLOEXEC) < 0) {
    *err = errno;
    return PROBE_USERNS;
  }
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    probe_child(fds[1], upto);
  }
  close(fds[1]);
  int msg[2] = {0, 0};
  ssize_t n = pid > 0 ? read(fds[0], msg, sizeof(msg)) : -1;
  close(fds[0]);
  if (pid > 0)
    waitpid(pid, NULL, 0);
  else
    msg[1] = errno;
  if (n != (ssize_t)sizeof(msg) && pid > 0)
    return 0;
  *err = msg[1];
  return pid > 0 ? (ProbeStep)msg[0] : PROBE_USERNS;
}

static void
check_namespaces(Report *r)
{
  int err;
  ProbeStep failed = probe(PROBE_CGROUPNS, &err);
  if (failed == PROBE_USERNS || failed == PROBE_MAP || failed == PROBE_MOUNT)
    line(r, "user namespaces", FALSE, TRUE, "%s (%s)",
         hutch_userns_blocker() ? hutch_userns_blocker()
                                : "the kernel refused; check that it is built with CONFIG_USER_NS",
         g_strerror(err));
  else
    line(r, "user namespaces", TRUE, TRUE, "unprivileged, with mounts inside");
  if (failed && failed <= PROBE_MAP)
    return;
  if (failed == PROBE_OTHER_NS)
    line(r, "other namespaces", FALSE, TRUE,
         "mount, pid, ipc, uts or net namespaces refused (%s); the kernel lacks CONFIG_*_NS",
         g_strerror(err));
  else
    line(r, "other namespaces", TRUE, TRUE, "mount, pid, ipc, uts, net");
  if (failed == PROBE_CGROUPNS || access("/proc/self/ns/cgroup", F_OK) < 0)
    line(r, "cgroup namespace", FALSE, FALSE,
         "sandboxes see the host's cgroup paths (needs Linux 4.6 with CONFIG_CGROUPS)");
  else if (!failed)
    line(r, "cgroup namespace", TRUE, FALSE, "sandboxes see their own cgroup as /");
}

static void
check_overlay(Report *r)
{
  int err;
  ProbeStep failed = probe(PROBE_OVERLAY, &err);
  if (failed && failed < PROBE_OVERLAY)
    return; /* already reported with namespaces */
  /* What hutch run --rootfs overlay will use: kernel overlayfs with
   * userxattr, else the fuse-overlayfs fallback. */
  g_autofree char *method = NULL;
  g_autoptr(GError) error = NULL;
  if (hutch_overlay_probe(&method, &error))
    line(r, "overlayfs in user ns", TRUE, FALSE, "overlay root filesystems work, with %s", method);
  else
    line(r, "overlayfs in user ns", FALSE, FALSE,
         "%s; --rootfs overlay needs Linux 5.11 (or a distribution kernel that allows it), or "
         "fuse-overlayfs",
         error->message);
}

/* --- id mapping --------------------------------------------------------- */

static gboolean
may_set_ids(const char *path, cap_value_t cap)
{
  struct stat st;
  if (stat(path, &st) < 0)
    return FALSE;
  if (st.st_uid == 0 && (st.st_mode & S_ISUID))
    return TRUE;
  cap_t caps = cap_get_file(path);
  if (!caps)
    return FALSE;
  cap_flag_value_t v = CAP_CLEAR;
  cap_get_flag(caps, cap, CAP_PERMITTED, &v);
  cap_free(caps);
  return v == CAP_SET;
}

static void
check_idmap_helper(Report *r, const char *item, const char *path, cap_value_t cap)
{
  if (!path)
    line(r, item, FALSE, FALSE,
         "not found; install it (Debian/Ubuntu: uidmap, Fedora: shadow-utils) to map more "
         "than your own ids");
  else if (!may_set_ids(path, cap))
    line(r, item, FALSE, FALSE, "%s is neither setuid root nor has file capabilities", path);
  else
    line(r, item, TRUE, FALSE, "%s", path);
}

/* The id holder is an optimisation: its absence is never a failure. */
static void
check_idholder(Report *r, const HutchIdMap *map)
{
  HutchIdHolder holder;
  g_autofree char *why = NULL;
  const char *helper = hutch_helper_path("hutch-idholder");
  if (map->method == HUTCH_IDMAP_SUBORDINATE && access(helper, X_OK) < 0)
    line(r, "id holder", FALSE, FALSE,
         "%s: %s (reinstall hutch; each launch runs newuidmap/newgidmap meanwhile)", helper,
         g_strerror(errno));
  else if (hutch_idholder_find(map, &holder, &why))
    line(r, "id holder", TRUE, FALSE, "pid %d; launches join it and run no setuid helper",
         (int)holder.pid);
  else if (map->method == HUTCH_IDMAP_SUBORDINATE && !g_getenv("HUTCH_IDMAP"))
    line(r, "id holder", TRUE, FALSE, "not running (%s); the next launch makes it", why);
  else
    line(r, "id holder", FALSE, FALSE, "not used: %s", why);
}

static void
check_idmap(Report *r)
{
  struct passwd *pw = getpwuid(getuid());
  HutchIdMap map;
  hutch_idmap_plan(&map, getuid(), getgid(), pw ? pw->pw_name : NULL);
  check_idmap_helper(r, "newuidmap", map.newuidmap, CAP_SETUID);
  check_idmap_helper(r, "newgidmap", map.newgidmap, CAP_SETGID);
  for (guint i = 0; i < map.problems->len; i++)
    line(r, "subid files", FALSE, FALSE, "%s", (char *)map.problems->pdata[i]);
  if (map.method == HUTCH_IDMAP_SUBORDINATE) {
    guint32 n = 0;
    for (guint i = 0; i < map.uid_ranges->len; i++)
      n += g_array_index(map.uid_ranges, HutchIdRange, i).count;
    g_autoptr(GString) notes = g_string_new(NULL);
    for (guint i = 0; i < map.notes->len; i++)
      g_string_append_printf(notes, "; %s", (char *)map.notes->pdata[i]);
    line(r, "subordinate ids", TRUE, FALSE, "%u uids mapped, yours as itself%s", n, notes->str);
  } else {
    const char *user = pw ? pw->pw_name : "USER";
    line(r, "subordinate ids", FALSE, FALSE,
         "%s (add ranges: usermod --add-subuids 100000-165535 --add-subgids 100000-165535 "
         "%s)",
         map.why, user);
  }
  check_idholder(r, &map);
  hutch_idmap_clear(&map);
}

/* --- seccomp, cgroups, limits, helpers ---------------------------------- */

static void
check_seccomp(Report *r)
{
  g_autofree char *actions = hutch_read_sysctl("/proc/sys/kernel/seccomp/actions_avail");
  if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 && errno == EINVAL)
    line(r, "seccomp", FALSE, TRUE, "the kernel lacks CONFIG_SECCOMP_FILTER");
  else if (actions && !strstr(actions, "errno"))
    line(r, "seccomp", FALSE, TRUE, "the kernel cannot return errors from filters (%s)", actions);
  else
    line(r, "seccomp", TRUE, TRUE, "filters (actions: %s)", actions ? actions : "unknown");
}

static void
check_cgroup(Report *r)
{
  g_auto(HutchCgroupBase) base = {0};
  hutch_cgroup_find_base(&base);
  if (!base.parent) {
    line(r, "cgroup v2 delegation", FALSE, FALSE, "%s", base.why);
    line(r, "freeze", TRUE, FALSE, "by SIGSTOP from each sandbox's init (no cgroup)");
    line(r, "resource limits", TRUE, FALSE,
         "by rlimits: --memory as RLIMIT_AS, --pids as RLIMIT_NPROC, --cpu-weight as nice");
    return;
  }
  g_autofree char *ctl = hutch_cgroup_controllers_string(base.controllers);
  line(r, "cgroup v2 delegation", TRUE, FALSE, "%s (%s)", base.parent, ctl);
  line(r, "freeze", TRUE, FALSE, "by cgroup.freeze");
  line(r, "resource limits", TRUE, FALSE, "--memory by %s, --pids by %s, --cpu-weight by %s",
       base.controllers & HUTCH_CG_MEMORY ? "memory.max" : "RLIMIT_AS",
       base.controllers & HUTCH_CG_PIDS ? "pids.max" : "RLIMIT_NPROC",
       base.controllers & HUTCH_CG_CPU ? "cpu.weight" : "nice");
}

static void
check_init_helper(Report *r)
{
  const char *init = hutch_helper_path("hutch-init");
  if (access(init, X_OK) < 0)
    line(r, "hutch-init", FALSE, TRUE, "%s: %s (reinstall hutch)", init, g_strerror(errno));
  else
    line(r, "hutch-init", TRUE, TRUE, "%s", init);
}

/* pasta answers the sandbox's pings through ping sockets of the host,
 * which the host allows to the groups in this range only. */
static void
check_ping_range(Report *r)
{
  g_autofree char *text = NULL;
  guint64 lo = 1, hi = 0;
  if (g_file_get_contents("/proc/sys/net/ipv4/ping_group_range", &text, NULL, NULL))
    sscanf(text, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &lo, &hi);
  gid_t gid = getgid();
  if (lo <= gid && gid <= hi)
    line(r, "ping with --net user", TRUE, FALSE, "your group %u is in net.ipv4.ping_group_range",
         (unsigned)gid);
  else
    line(r, "ping with --net user", FALSE, FALSE,
         "net.ipv4.ping_group_range (%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
         ") leaves out your group %u, so pasta cannot forward pings (TCP and UDP work); as root: "
         "sysctl net.ipv4.ping_group_range='0 2147483647'",
         lo, hi, (unsigned)gid);
}

/* --net user: pasta, and the tap device it creates in the sandbox. */
static void
check_network(Report *r)
{
  g_autofree char *pasta = hutch_pasta_find();
  if (pasta)
    line(r, "pasta", TRUE, FALSE, "%s (for --net user)", pasta);
  else
    line(r, "pasta", FALSE, FALSE,
         "not found: --net user needs it (install the package passt); none and host work");
  if (access("/dev/net/tun", R_OK | W_OK) == 0)
    line(r, "tun device", TRUE, FALSE, "/dev/net/tun (pasta's interface in the sandbox)");
  else
    line(r, "tun device", FALSE, FALSE,
         "/dev/net/tun: %s (--net user needs it: load the tun module)", g_strerror(errno));
  check_ping_range(r);
  line(r, "abstract unix sockets", TRUE, FALSE,
       "the host's are unreachable with --net none and user (own network namespace), "
       "reachable with --net host");
}

int
hutch_cmd_check(int argc, char **argv, GError **error)
{
  if (!hutch_cmd_parse("",
                       "Say what this kernel, system and user support, and what to do "
                       "about what is missing.",
                       NULL, &argc, &argv, error))
    return -1;
  if (argc > 1) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE, "check: unexpected argument '%s'", argv[1]);
    return -1;
  }
  Report r = {FALSE};
  check_namespaces(&r);
  check_overlay(&r);
  check_idmap(&r);
  check_seccomp(&r);
  check_init_helper(&r);
  check_cgroup(&r);
  g_autoptr(GPtrArray) desktop = hutch_check_desktop();
  for (guint i = 0; i < desktop->len; i++) {
    const HutchCheckItem *item = desktop->pdata[i];
    line(&r, item->name, item->ok, FALSE, "%s", item->detail);
  }
  check_network(&r);
  fflush(stdout);
  if (r.fatal)
    fprintf(stderr, "hutch: this system cannot start sandboxes; see the missing items above\n");
  return r.fatal ? HUTCH_EXIT_FAILED : 0;
}
