/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Load hutch's seccomp filter and exec a command: the filter alone, without
 * namespaces, so the rules can be tested before and apart from the
 * launcher. It compiles the filter with the same code as `hutch run` and
 * loads it the same way (no_new_privs, then PR_SET_SECCOMP, then exec).
 *
 *   seccomp-harness [--allow PERM]... [--allow-syscall NAME]...
 *                   [--deny-syscall NAME[:ERRNO]]... [--print] [--no-seccomp]
 *                   -- CMD [ARG...]
 */
#include <errno.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "error.h"
#include "plan.h"
#include "policy.h"
#include "seccomp-filter.h"

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(HutchSeccompProgram, hutch_seccomp_program_clear)

static void
add_syscall_rule(GPtrArray *list, const char *spec)
{
  HutchSyscallRule *rule = g_new0(HutchSyscallRule, 1);
  const char *colon = strchr(spec, ':');
  rule->name = colon ? g_strndup(spec, colon - spec) : g_strdup(spec);
  rule->errnum = colon ? atoi(colon + 1) : 0;
  rule->origin = g_strdup("harness command line");
  g_ptr_array_add(list, rule);
}

int
main(int argc, char **argv)
{
  g_autoptr(HutchPolicy) policy = hutch_policy_new();
  gboolean print = FALSE;
  int i;

  for (i = 1; i < argc && !g_str_equal(argv[i], "--"); i++) {
    HutchPerm perm;
    if (g_str_equal(argv[i], "--print")) {
      print = TRUE;
    } else if (g_str_equal(argv[i], "--no-seccomp")) {
      policy->seccomp_disabled = TRUE;
    } else if (g_str_equal(argv[i], "--allow") && i + 1 < argc) {
      if (!hutch_perm_parse(argv[++i], &perm)) {
        fprintf(stderr, "seccomp-harness: unknown permission %s\n", argv[i]);
        return HUTCH_EXIT_USAGE;
      }
      policy->perms |= perm;
    } else if (g_str_equal(argv[i], "--allow-syscall") && i + 1 < argc) {
      add_syscall_rule(policy->syscall_allow, argv[++i]);
    } else if (g_str_equal(argv[i], "--deny-syscall") && i + 1 < argc) {
      add_syscall_rule(policy->syscall_deny, argv[++i]);
    } else {
      fprintf(stderr, "seccomp-harness: unknown option %s\n", argv[i]);
      return HUTCH_EXIT_USAGE;
    }
  }
  if (i + 1 >= argc && !print) {
    fprintf(stderr, "usage: seccomp-harness [OPTION...] -- CMD [ARG...]\n");
    return HUTCH_EXIT_USAGE;
  }

  g_auto(HutchSeccompProgram) program = {0};
  g_autoptr(GError) error = NULL;
  if (!policy->seccomp_disabled) {
    if (!hutch_seccomp_compile(policy, &program, &error)) {
      hutch_print_error(error);
      return HUTCH_EXIT_FAILURE;
    }
    if (print)
      printf("%s(%u BPF instructions)\n", program.description, program.len);
  }
  if (i + 1 >= argc)
    return 0;

  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
    perror("seccomp-harness: PR_SET_NO_NEW_PRIVS");
    return HUTCH_EXIT_FAILURE;
  }
  if (!policy->seccomp_disabled) {
    struct sock_fprog prog = {.len = program.len, .filter = program.filter};
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
      perror("seccomp-harness: PR_SET_SECCOMP");
      return HUTCH_EXIT_FAILURE;
    }
  }
  execvp(argv[i + 1], argv + i + 1);
  fprintf(stderr, "seccomp-harness: %s: %s\n", argv[i + 1], g_strerror(errno));
  return 127;
}
