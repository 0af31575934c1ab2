/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Compile the seccomp filter with libseccomp. The rules themselves are data
 * in seccomp-rules.c; this file turns them into one BPF program per
 * architecture, merges those, and exports the result for the child. */
#include <stdio.h> /* plan.h uses FILE */
#include "seccomp-filter.h"
#include "precompiled-seccomp.h"
#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "error.h"
#include "seccomp-rules.h"

G_DEFINE_AUTO_CLEANUP_FREE_FUNC(scmp_filter_ctx, seccomp_release, NULL)

/* libseccomp's binary-tree layout: the cost of reaching a syscall's rules
 * grows with log(rules), not with their number. */
#define HUTCH_SC_OPTIMIZE_BINARY_TREE 2

typedef struct {
  guint32 token;
  const char *name;
} ArchName;

static const ArchName arch_names[] = {
    {SCMP_ARCH_X86_64, "x86_64"},   {SCMP_ARCH_X86, "i386"},        {SCMP_ARCH_X32, "x32"},
    {SCMP_ARCH_AARCH64, "aarch64"}, {SCMP_ARCH_ARM, "arm"},         {SCMP_ARCH_PPC64LE, "ppc64le"},
    {SCMP_ARCH_S390X, "s390x"},     {SCMP_ARCH_RISCV64, "riscv64"},
};

static const char *
arch_name(guint32 token)
{
  for (gsize i = 0; i < G_N_ELEMENTS(arch_names); i++)
    if (arch_names[i].token == token)
      return arch_names[i].name;
  return "native";
}

/* The 32-bit ABI a 64-bit kernel also runs, which multiarch lets in. */
static guint32
compat_arch(guint32 native)
{
  switch (native) {
  case SCMP_ARCH_X86_64:
    return SCMP_ARCH_X86;
  case SCMP_ARCH_AARCH64:
    return SCMP_ARCH_ARM;
  default:
    return 0;
  }
}

/* "EPERM" for the dry-run, or "errno 123" where the C library has no
 * name for it. */
static char *
errno_name(int errnum)
{
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 32)
  const char *name = strerrorname_np(errnum);
  if (name)
    return g_strdup(name);
#else
  switch (errnum) {
  case EPERM:
    return g_strdup("EPERM");
  case ENOSYS:
    return g_strdup("ENOSYS");
  case EAFNOSUPPORT:
    return g_strdup("EAFNOSUPPORT");
  }
#endif
  return g_strdup_printf("errno %d", errnum);
}

static gboolean sc_check(int rc, GError **error, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* libseccomp reports failures as negative errno values. */
static gboolean
sc_check(int rc, GError **error, const char *fmt, ...)
{
  if (rc >= 0)
    return TRUE;
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *what = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_FAILED, "seccomp: %s: %s", what, g_strerror(-rc));
  return FALSE;
}

static const HutchSyscallRule *
find_rule(GPtrArray *rules, const char *name)
{
  for (guint i = 0; rules && i < rules->len; i++) {
    const HutchSyscallRule *rule = g_ptr_array_index(rules, i);
    if (g_str_equal(rule->name, name))
      return rule;
  }
  return NULL;
}

static int
deny_errno(const HutchSyscallRule *rule)
{
  return rule->errnum ? rule->errnum : EPERM;
}

static int
fallback_nr(const char *name)
{
  for (gsize i = 0; i < hutch_sc_n_rules; i++)
    if (g_str_equal(hutch_sc_rules[i].name, name))
      return hutch_sc_rules[i].fallback_nr;
  return -1;
}

gboolean
hutch_seccomp_syscall_known(const char *name)
{
  guint32 native = seccomp_arch_native();
  guint32 compat = compat_arch(native);
  if (!name || !*name)
    return FALSE;
  if (seccomp_syscall_resolve_name_arch(native, name) != __NR_SCMP_ERROR)
    return TRUE;
  if (compat && seccomp_syscall_resolve_name_arch(compat, name) != __NR_SCMP_ERROR)
    return TRUE;
  return fallback_nr(name) >= 0;
}

/* Profile lists are checked before any filter exists so the message can
 * point at the profile line. */
static gboolean
validate_lists(const HutchPolicy *policy, GError **error)
{
  GPtrArray *lists[] = {policy->syscall_allow, policy->syscall_deny};
  const char *kinds[] = {"allow", "deny"};
  for (gsize l = 0; l < G_N_ELEMENTS(lists); l++) {
    for (guint i = 0; lists[l] && i < lists[l]->len; i++) {
      const HutchSyscallRule *rule = g_ptr_array_index(lists[l], i);
      const char *origin = rule->origin ? rule->origin : "profile";
      if (!hutch_seccomp_syscall_known(rule->name)) {
        g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_PROFILE,
                    "%s: unknown syscall '%s' in the %s list", origin, rule->name, kinds[l]);
        return FALSE;
      }
      if (l == 1 && (rule->errnum < 0 || rule->errnum > 4095)) {
        g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_PROFILE,
                    "%s: errno %d for syscall '%s' is outside 1..4095", origin, rule->errnum,
                    rule->name);
        return FALSE;
      }
      const HutchSyscallRule *other = l == 1 ? find_rule(policy->syscall_allow, rule->name) : NULL;
      if (other) {
        g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_PROFILE,
                    "%s: syscall '%s' is denied here and allowed at %s", origin, rule->name,
                    other->origin ? other->origin : "profile");
        return FALSE;
      }
    }
  }
  return TRUE;
}

/* A table rule applies unless a granted permission lifts it or the profile
 * names its syscall in the allow list (or overrides it in the deny list). */
static gboolean
rule_active(const HutchPolicy *policy, const HutchScRule *rule)
{
  if (rule->lifted_by & policy->perms)
    return FALSE;
  return !find_rule(policy->syscall_allow, rule->name) &&
         !find_rule(policy->syscall_deny, rule->name);
}

/* The syscall number to hand libseccomp, or -1 when this context cannot
 * express it. libseccomp translates native numbers to each architecture of
 * the context by name, so a number it does not know only works in the
 * native context. */
static int
resolve_nr(const char *name, gboolean native)
{
  int nr = seccomp_syscall_resolve_name(name);
  if (nr != __NR_SCMP_ERROR)
    return nr;
  return native ? fallback_nr(name) : -1;
}

/* Add ACTION for every low-32-bit value of argument ARG in [lo, hi]. One
 * rule may compare an argument only once, so the range is cut into aligned
 * power-of-two blocks, each one masked comparison. Masking to the low 32
 * bits matches how the kernel reads int arguments. */
static gboolean
add_low32_range(scmp_filter_ctx ctx, guint32 action, int nr, unsigned arg, guint64 lo, guint64 hi,
                const char *name, GError **error)
{
  while (lo <= hi) {
    guint64 size = 1;
    while ((lo & (size * 2 - 1)) == 0 && lo + size * 2 - 1 <= hi)
      size *= 2;
    struct scmp_arg_cmp cmp = {
        .arg = arg,
        .op = SCMP_CMP_MASKED_EQ,
        .datum_a = 0xffffffffu & ~(size - 1),
        .datum_b = lo,
    };
    if (!sc_check(seccomp_rule_add_array(ctx, action, nr, 1, &cmp), error,
                  "rule for %s(%#" G_GINT64_MODIFIER "x..%#" G_GINT64_MODIFIER "x)", name, lo,
                  lo + size - 1))
      return FALSE;
    lo += size;
  }
  return TRUE;
}

/* ACTION for every value of ARG outside ALLOWED (ascending, low 32 bits). */
static gboolean
add_low32_except(scmp_filter_ctx ctx, guint32 action, int nr, unsigned arg, const guint32 *allowed,
                 gsize n_allowed, const char *name, GError **error)
{
  guint64 lo = 0;
  for (gsize i = 0; i <= n_allowed; i++) {
    guint64 end = i < n_allowed ? allowed[i] : G_GUINT64_CONSTANT(0x100000000);
    if (end > lo && !add_low32_range(ctx, action, nr, arg, lo, end - 1, name, error))
      return FALSE;
    lo = end + 1;
  }
  return TRUE;
}

static gboolean
add_table_rule(scmp_filter_ctx ctx, const HutchScRule *rule, int nr, GError **error)
{
  guint32 action = SCMP_ACT_ERRNO(rule->errnum);
  struct scmp_arg_cmp cmp = {.op = SCMP_CMP_MASKED_EQ};

  switch (rule->arg) {
  case HUTCH_SC_ARG_NONE:
    return sc_check(seccomp_rule_add(ctx, action, nr, 0), error, "rule for %s", rule->name);
  case HUTCH_SC_ARG_CLONE_NEWUSER:
#if defined(__s390__) || defined(__s390x__)
    cmp.arg = 1; /* s390 swaps clone's first two arguments */
#else
    cmp.arg = 0;
#endif
    cmp.datum_a = CLONE_NEWUSER;
    cmp.datum_b = CLONE_NEWUSER;
    break;
  case HUTCH_SC_ARG_TIOCSTI:
  case HUTCH_SC_ARG_TIOCLINUX:
    cmp.arg = 1;
    cmp.datum_a = 0xffffffffu;
    cmp.datum_b = rule->arg == HUTCH_SC_ARG_TIOCSTI ? TIOCSTI : TIOCLINUX;
    break;
  case HUTCH_SC_ARG_PERSONALITY:
    return add_low32_except(ctx, action, nr, 0, hutch_sc_allowed_personas,
                            hutch_sc_n_allowed_personas, rule->name, error);
  case HUTCH_SC_ARG_FAMILY:
    return add_low32_except(ctx, action, nr, 0, hutch_sc_allowed_families,
                            hutch_sc_n_allowed_families, rule->name, error);
  }
  return sc_check(seccomp_rule_add_array(ctx, action, nr, 1, &cmp), error, "rule for %s",
                  rule->name);
}

static gboolean
add_rules(scmp_filter_ctx ctx, const HutchPolicy *policy, gboolean native, GError **error)
{
  for (gsize i = 0; i < hutch_sc_n_rules; i++) {
    const HutchScRule *rule = &hutch_sc_rules[i];
    if (!rule_active(policy, rule))
      continue;
    int nr = resolve_nr(rule->name, native);
    if (nr == -1)
      continue; /* noted in the description */
    if (!add_table_rule(ctx, rule, nr, error))
      return FALSE;
  }
  for (guint i = 0; policy->syscall_deny && i < policy->syscall_deny->len; i++) {
    const HutchSyscallRule *rule = g_ptr_array_index(policy->syscall_deny, i);
    int nr = resolve_nr(rule->name, native);
    if (nr == -1)
      continue;
    if (!sc_check(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(deny_errno(rule)), nr, 0), error,
                  "%s: rule for %s", rule->origin ? rule->origin : "profile", rule->name))
      return FALSE;
  }
  return TRUE;
}

/* One context per architecture, merged afterwards: a context that holds
 * only the native architecture accepts syscall numbers libseccomp does not
 * know, which a multi-architecture context refuses. */
static scmp_filter_ctx
new_ctx(guint32 arch, GError **error)
{
  g_auto(scmp_filter_ctx) ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (!ctx) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_FAILED, "seccomp: cannot create a filter");
    return NULL;
  }
  /* Any architecture not in the filter, x32 included, is killed: a rule
   * written for x86_64 numbers means nothing to another ABI. Kernels before
   * 4.14 cannot kill the whole process; killing the thread still keeps the
   * call from running. */
  int rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
  if (rc < 0)
    rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_THREAD);
  if (!sc_check(rc, error, "kill on foreign architecture") ||
      !sc_check(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, HUTCH_SC_OPTIMIZE_BINARY_TREE),
                error, "binary tree optimisation"))
    return NULL;
  if (arch && arch != seccomp_arch_native()) {
    if (!sc_check(seccomp_arch_add(ctx, arch), error, "adding architecture %s", arch_name(arch)) ||
        !sc_check(seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE), error,
                  "removing native architecture"))
      return NULL;
  }
  return g_steal_pointer(&ctx);
}

static gboolean
export_bpf(scmp_filter_ctx ctx, HutchSeccompProgram *program, GError **error)
{
  /* libseccomp 2.5 exports only to a file descriptor. */
  int fd = memfd_create("hutch-seccomp", MFD_CLOEXEC);
  if (fd < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_HOST, "seccomp: memfd_create: %s",
                g_strerror(errno));
    return FALSE;
  }
  struct stat st;
  int rc = seccomp_export_bpf(ctx, fd);
  if (rc < 0 || fstat(fd, &st) < 0) {
    int saved = rc < 0 ? -rc : errno;
    close(fd);
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_FAILED, "seccomp: exporting BPF: %s",
                g_strerror(saved));
    return FALSE;
  }
  gsize n = st.st_size / sizeof(struct sock_filter);
  if (st.st_size % sizeof(struct sock_filter) != 0 || n == 0 || n > BPF_MAXINSNS) {
    close(fd);
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_FAILED,
                "seccomp: exported filter has %" G_GINT64_FORMAT " bytes, not 1..%d instructions",
                (gint64)st.st_size, BPF_MAXINSNS);
    return FALSE;
  }
  g_autofree struct sock_filter *filter = g_new(struct sock_filter, n);
  gsize done = 0;
  while (done < (gsize)st.st_size) {
    ssize_t r = pread(fd, (char *)filter + done, st.st_size - done, done);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0) {
      int saved = r < 0 ? errno : EIO;
      close(fd);
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_FAILED, "seccomp: reading exported BPF: %s",
                  g_strerror(saved));
      return FALSE;
    }
    done += r;
  }
  close(fd);
  program->filter = g_steal_pointer(&filter);
  program->len = n;
  return TRUE;
}

/* One description line: an errno and the calls that get it. */
typedef struct {
  int errnum;
  GString *items;
} Group;

static void
group_clear(gpointer p)
{
  g_string_free(((Group *)p)->items, TRUE);
}

/* Append ITEM to the line of ERRNUM, creating lines in order of first use
 * so the description reads like the table. */
static void
group_add(GArray *groups, int errnum, const char *item)
{
  for (guint i = 0; i < groups->len; i++) {
    Group *g = &g_array_index(groups, Group, i);
    if (g->errnum == errnum) {
      g_string_append_printf(g->items, " %s", item);
      return;
    }
  }
  Group g = {errnum, g_string_new(NULL)};
  g_string_append_printf(g.items, " %s", item);
  g_array_append_val(groups, g);
}

static char *
rule_item(const HutchScRule *rule)
{
  switch (rule->arg) {
  case HUTCH_SC_ARG_NONE:
    return g_strdup(rule->name);
  case HUTCH_SC_ARG_CLONE_NEWUSER:
    return g_strdup("clone(CLONE_NEWUSER)");
  case HUTCH_SC_ARG_TIOCSTI:
    return g_strdup("ioctl(TIOCSTI)");
  case HUTCH_SC_ARG_TIOCLINUX:
    return g_strdup("ioctl(TIOCLINUX)");
  case HUTCH_SC_ARG_PERSONALITY:
    return g_strdup_printf("personality(other than %s)", hutch_sc_allowed_persona_names);
  case HUTCH_SC_ARG_FAMILY:
    return g_strdup_printf("%s()", rule->name);
  }
  return g_strdup(rule->name);
}

static char *
describe(const HutchPolicy *policy, guint32 native, guint32 compat)
{
  g_autoptr(GArray) groups = g_array_new(FALSE, FALSE, sizeof(Group));
  g_array_set_clear_func(groups, group_clear);
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(GString) families = g_string_new(NULL);
  g_autoptr(GString) native_only = g_string_new(NULL);

  for (gsize i = 0; i < hutch_sc_n_rules; i++) {
    const HutchScRule *rule = &hutch_sc_rules[i];
    if (!rule_active(policy, rule))
      continue;
    if (resolve_nr(rule->name, TRUE) == -1)
      continue;
    if (seccomp_syscall_resolve_name(rule->name) == __NR_SCMP_ERROR)
      g_string_append_printf(native_only, " %s", rule->name);
    if (rule->arg == HUTCH_SC_ARG_FAMILY) {
      g_string_append_printf(families, "%s() ", rule->name);
      continue;
    }
    g_autofree char *item = rule_item(rule);
    group_add(groups, rule->errnum, item);
  }
  for (guint i = 0; policy->syscall_deny && i < policy->syscall_deny->len; i++) {
    const HutchSyscallRule *rule = g_ptr_array_index(policy->syscall_deny, i);
    g_autofree char *item =
        g_strdup_printf("%s(%s)", rule->name, rule->origin ? rule->origin : "profile");
    group_add(groups, deny_errno(rule), item);
  }
  for (guint i = 0; i < groups->len; i++) {
    Group *g = &g_array_index(groups, Group, i);
    g_autofree char *name = errno_name(g->errnum);
    g_string_append_printf(out, "%s:%s\n", name, g->items->str);
  }
  if (families->len)
    g_string_append_printf(out, "EAFNOSUPPORT: %sfamilies other than %s\n", families->str,
                           hutch_sc_allowed_family_names);
  if (compat == SCMP_ARCH_X86 && families->len)
    g_string_append(out, "EAFNOSUPPORT: i386 socketcall() socket and socketpair (the family is "
                         "in memory the filter cannot read)\n");
  if (native_only->len && compat)
    g_string_append_printf(out, "note:%s filtered on %s only (unknown to libseccomp %u.%u.%u)\n",
                           native_only->str, arch_name(native), seccomp_version()->major,
                           seccomp_version()->minor, seccomp_version()->micro);
  if (native == SCMP_ARCH_X86_64)
    g_string_append(out, "KILL: x32 ABI\n");
  g_string_append(out, "KILL: other architectures\n");

  /* What the profile relaxed, so a reviewer sees it next to the rules. */
  const HutchPerm perms[] = {HUTCH_PERM_DEVEL, HUTCH_PERM_NESTED_SANDBOX, HUTCH_PERM_MULTIARCH};
  for (gsize p = 0; p < G_N_ELEMENTS(perms); p++) {
    if (!(policy->perms & perms[p]))
      continue;
    g_autoptr(GString) line = g_string_new(NULL);
    for (gsize i = 0; i < hutch_sc_n_rules; i++) {
      if (!(hutch_sc_rules[i].lifted_by & perms[p]))
        continue;
      g_autofree char *item = rule_item(&hutch_sc_rules[i]);
      g_string_append_printf(line, " %s", item);
    }
    g_string_append_printf(out, "allowed by %s:%s\n", hutch_perm_name(perms[p]), line->str);
  }
  for (guint i = 0; policy->syscall_allow && i < policy->syscall_allow->len; i++) {
    const HutchSyscallRule *rule = g_ptr_array_index(policy->syscall_allow, i);
    g_string_append_printf(out, "allowed by %s: %s\n", rule->origin ? rule->origin : "profile",
                           rule->name);
  }

  g_string_append_printf(out, "arch: %s", arch_name(native));
  if (compat && (policy->perms & HUTCH_PERM_MULTIARCH))
    g_string_append_printf(out, " %s (multiarch)", arch_name(compat));
  else if (compat_arch(native))
    g_string_append_printf(out, " (%s refused: grant multiarch)", arch_name(compat_arch(native)));
  g_string_append_c(out, '\n');
  return g_string_free(g_steal_pointer(&out), FALSE);
}

char *
hutch_seccomp_describe(const HutchPolicy *policy)
{
  guint32 native = seccomp_arch_native();
  guint32 compat = hutch_policy_has(policy, HUTCH_PERM_MULTIARCH) ? compat_arch(native) : 0;
  return describe(policy, native, compat);
}

gboolean
hutch_seccomp_compile(const HutchPolicy *policy, HutchSeccompProgram *program, GError **error)
{
  memset(program, 0, sizeof(*program));
  if (!validate_lists(policy, error))
    return FALSE;

  guint32 native = seccomp_arch_native();
  guint32 compat = hutch_policy_has(policy, HUTCH_PERM_MULTIARCH) ? compat_arch(native) : 0;

  g_auto(scmp_filter_ctx) ctx = new_ctx(0, error);
  if (!ctx || !add_rules(ctx, policy, TRUE, error))
    return FALSE;
  if (compat) {
    g_auto(scmp_filter_ctx) compat_ctx = new_ctx(compat, error);
    if (!compat_ctx || !add_rules(compat_ctx, policy, FALSE, error))
      return FALSE;
    /* On success libseccomp frees the merged-in context. */
    if (!sc_check(seccomp_merge(ctx, compat_ctx), error, "merging %s into %s", arch_name(compat),
                  arch_name(native)))
      return FALSE;
    compat_ctx = NULL;
  }
  if (!export_bpf(ctx, program, error))
    return FALSE;
  program->description = describe(policy, native, compat);
  return TRUE;
}

void
hutch_seccomp_program_clear(HutchSeccompProgram *program)
{
  g_clear_pointer(&program->description, g_free);
  g_clear_pointer(&program->filter, g_free);
  program->len = 0;
}

gboolean
hutch_precompiled_compile(guint combo, HutchSeccompProgram *program, GError **error)
{
  g_autoptr(HutchPolicy) policy = hutch_policy_new();
  policy->perms = hutch_precompiled_perms(combo);
  return hutch_seccomp_compile(policy, program, error);
}
