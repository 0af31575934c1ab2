/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Policy: what a sandbox may do, in host-free terms. Profiles and the
 * command line both write into it; the Plan reads it. */
#pragma once
#include <glib.h>

typedef enum {
  HUTCH_HOME_NONE,    /* empty tmpfs at $HOME */
  HUTCH_HOME_PRIVATE, /* persistent per-app home under ~/.local/share/hutch/homes/NAME */
  HUTCH_HOME_RO,
  HUTCH_HOME_RW,
} HutchHomeMode;

/* What the host root's /etc shows (an image brings its own /etc). */
typedef enum {
  HUTCH_ETC_HOST,    /* the host's /etc read-only, less a short mask list (rootfs-etc.c) */
  HUTCH_ETC_MINIMAL, /* only the entries most programs read: the opt-in allowlist */
} HutchEtcMode;

typedef enum {
  HUTCH_NET_NONE, /* own netns, loopback up */
  HUTCH_NET_HOST,
  HUTCH_NET_USER, /* own netns + pasta */
} HutchNetMode;

typedef enum {
  HUTCH_PATH_RO,
  HUTCH_PATH_RW,
  HUTCH_PATH_HIDE,  /* made inaccessible (empty tmpfs or /dev/null over a file) */
  HUTCH_PATH_TMPFS, /* fresh writable tmpfs */
} HutchPathMode;

/* Permissions granted by name; each later passthrough gives one its meaning. */
typedef enum {
  HUTCH_PERM_X11 = 1u << 0,
  HUTCH_PERM_WAYLAND = 1u << 1,
  HUTCH_PERM_AUDIO = 1u << 2,
  HUTCH_PERM_GPU = 1u << 3,
  HUTCH_PERM_INPUT = 1u << 4,
  HUTCH_PERM_SHM = 1u << 5,
  HUTCH_PERM_DEVEL = 1u << 6,
  HUTCH_PERM_NESTED_SANDBOX = 1u << 7,
  HUTCH_PERM_MULTIARCH = 1u << 8,
  HUTCH_PERM_ALSA = 1u << 9,
  /* The display the session has: Wayland where a compositor runs, else
   * X11 (desktop/display.c turns it into one of the two at plan time). */
  HUTCH_PERM_DISPLAY = 1u << 10,
  /* The host's IPC namespace: SysV shared memory and semaphores of the
   * caller's other programs (a Steam client outside, X11's MIT-SHM). */
  HUTCH_PERM_IPC = 1u << 11,
  HUTCH_PERM_MICROPHONE = 1u << 12, /* with audio: recording through the relay */
  HUTCH_PERM_CLIPBOARD = 1u << 13,  /* x11=nested: the clipboard crosses to and from the app */
} HutchPerm;

typedef enum {
  HUTCH_X11_UNTRUSTED, /* the user's display, with a SECURITY cookie for untrusted clients */
  HUTCH_X11_TRUSTED,   /* the user's display, with the user's own cookie */
  HUTCH_X11_NESTED,    /* an X server of the app's own, its windows shown through xpra */
} HutchX11Mode;

/* How the Wayland passthrough uses wp_security_context_v1. */
typedef enum {
  HUTCH_WAYLAND_AUTO,   /* use it where the compositor offers it; else bind the socket */
  HUTCH_WAYLAND_SECURE, /* require it: fail when the compositor lacks it */
  HUTCH_WAYLAND_PLAIN,  /* never: bind the compositor's socket as it is */
} HutchWaylandMode;

typedef enum {
  HUTCH_ROOTFS_HOST,
  HUTCH_ROOTFS_OVERLAY,
} HutchRootfsMode;

typedef struct {
  HutchPathMode mode;
  char *path;        /* as written: may start with ~, $HOME or an XDG name; expanded by the Plan */
  char *origin;      /* "FILE:LINE" or "command line", for show and errors */
  gboolean optional; /* written "-PATH": skipped when the host has no such path */
} HutchPathRule;

/* A port named for --net user: a host loopback port the sandbox may reach
 * (--host-port), or a sandbox port the host may reach (--publish). */
typedef enum {
  HUTCH_PORT_TCP = 1u << 0,
  HUTCH_PORT_UDP = 1u << 1,
} HutchPortProto;

typedef struct {
  guint16 port;
  HutchPortProto proto;
  char *origin;
} HutchPortRule;

/* The two buses a sandbox may reach through its D-Bus proxy. */
typedef enum {
  HUTCH_BUS_SESSION,
  HUTCH_BUS_SYSTEM,
} HutchBus;

/* xdg-dbus-proxy's levels, lowest first; CALL and BROADCAST carry a rule
 * and make the name visible as TALK would, but let through only the
 * method calls (broadcast signals) the rule matches. */
typedef enum {
  HUTCH_BUS_SEE,
  HUTCH_BUS_TALK,
  HUTCH_BUS_OWN,
  HUTCH_BUS_CALL,
  HUTCH_BUS_BROADCAST,
} HutchBusAccess;

typedef struct {
  HutchBus bus;
  HutchBusAccess access;
  char *name; /* a well-known bus name, or a prefix written NAME.* */
  char *rule; /* CALL and BROADCAST: [METHOD][@PATH]; else NULL */
  char *origin;
} HutchBusRule;

/* What happens to arguments of the app that name the user's files. */
typedef enum {
  HUTCH_FILE_ARGS_FORWARD, /* pass them in (document portal), else refuse them */
  HUTCH_FILE_ARGS_KEEP,    /* leave every argument as it is */
} HutchFileArgs;

typedef struct {
  char *name; /* syscall name */
  int errnum; /* for deny: errno returned; 0 means EPERM */
  char *origin;
} HutchSyscallRule;

typedef struct {
  char *profile_name; /* NULL when none */
  char *sandbox_name; /* --name; NULL: generated */
  char *name_base;    /* the generated name's base, when not the profile's */
  char *no_idholder;  /* why this launch must not start the id holder, or NULL */
  HutchHomeMode home;
  HutchEtcMode etc;
  HutchNetMode net;
  GPtrArray *host_ports; /* HutchPortRule*: host loopback ports reachable (--net user) */
  GPtrArray *publish;    /* HutchPortRule*: sandbox ports the host forwards (--net user) */
  HutchX11Mode x11_mode;
  HutchWaylandMode wayland_mode;
  guint perms;          /* HutchPerm bits granted */
  GPtrArray *paths;     /* HutchPathRule*, in order; later rules win for the same path */
  GPtrArray *env_set;   /* "KEY=VALUE" */
  GPtrArray *env_unset; /* KEY */
  GPtrArray *env_pass;  /* KEY: kept even if hutch would scrub it */
  GHashTable *env_keys; /* every KEY of the three lists, so that setting one is not a search */
  char *hostname;
  char *chdir;
  GArray *pass_fds;          /* int */
  char **argv;               /* the command; a profile's default argv when none given */
  GPtrArray *syscall_allow;  /* HutchSyscallRule* */
  GPtrArray *syscall_deny;   /* HutchSyscallRule* */
  gboolean seccomp_disabled; /* only for benchmarks: --no-seccomp */
  /* resource limits; 0 = unlimited */
  guint64 limit_memory;
  guint64 limit_pids;
  guint limit_cpu_weight;
  GPtrArray *bus_rules;    /* HutchBusRule*, session and system; no rule for a bus: no bus */
  char *app_id;            /* the id portals know the app by; NULL: from the profile's name */
  HutchFileArgs file_args; /* file and file:// arguments of the app */
  /* root filesystem */
  HutchRootfsMode rootfs;
  char *image;
  gboolean persist;
  gboolean rw_image;
  /* runtime */
  gboolean dry_run;
  gboolean detach;
  int json_status_fd; /* -1: none */
  /* where settings came from, for `hutch profile show` and --dry-run */
  char *description;   /* the profile's one-line description */
  GPtrArray *sources;  /* char*: files applied, lowest precedence first */
  GHashTable *origins; /* setting ("home", "perm x11", "env FOO", ...) -> "FILE:LINE" */
} HutchPolicy;

HutchPolicy *hutch_policy_new(void);
void hutch_policy_free(HutchPolicy *policy);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HutchPolicy, hutch_policy_free)

void hutch_policy_add_path(HutchPolicy *policy, HutchPathMode mode, const char *path,
                           const char *origin);
gboolean hutch_policy_has(const HutchPolicy *policy, HutchPerm perm);
/* Add PORT/PROTO to RULES (host_ports or publish) unless it is there. */
void hutch_policy_add_port(GPtrArray *rules, guint16 port, HutchPortProto proto,
                           const char *origin);
/* Record where SETTING got its value ("FILE:LINE", "--flag"); NULL origin: default. */
void hutch_policy_set_origin(HutchPolicy *policy, const char *setting, const char *origin);
const char *hutch_policy_origin(const HutchPolicy *policy, const char *setting);

/* Name <-> value tables shared by the command line, profiles and show/dry-run. */
gboolean hutch_home_mode_parse(const char *s, HutchHomeMode *out);
const char *hutch_home_mode_name(HutchHomeMode mode);
gboolean hutch_etc_mode_parse(const char *s, HutchEtcMode *out);
const char *hutch_etc_mode_name(HutchEtcMode mode);
gboolean hutch_net_mode_parse(const char *s, HutchNetMode *out);
const char *hutch_net_mode_name(HutchNetMode mode);
/* "PORT", "PORT/tcp" or "PORT/udp" (1-65535; TCP when not said). */
gboolean hutch_port_parse(const char *s, guint16 *port, HutchPortProto *proto);
/* "631/tcp", as show and --dry-run print a rule. */
char *hutch_port_format(const HutchPortRule *rule);
const char *hutch_path_mode_name(HutchPathMode mode);
gboolean hutch_perm_parse(const char *s, HutchPerm *out);
const char *hutch_perm_name(HutchPerm perm);
gboolean hutch_x11_mode_parse(const char *s, HutchX11Mode *out);
const char *hutch_x11_mode_name(HutchX11Mode mode);
gboolean hutch_wayland_mode_parse(const char *s, HutchWaylandMode *out);
const char *hutch_wayland_mode_name(HutchWaylandMode mode);
/* The names SETTING (perm, home, net, x11, wayland) takes, NULL-terminated,
 * for completion; free the array only (g_free). NULL for another setting. */
const char **hutch_policy_value_names(const char *setting);

gboolean hutch_file_args_parse(const char *s, HutchFileArgs *out);
const char *hutch_file_args_name(HutchFileArgs mode);
/* All permission names, NULL-terminated, for help and "did you mean". */
const char *const *hutch_perm_names(void);
