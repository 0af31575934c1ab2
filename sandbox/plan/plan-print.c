/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch run --dry-run: the plan in words, one line per decision. */
#include "idmap.h"
#include "plan.h"
#include "namespaces.h"
#include <sched.h>
#include <stdio.h>

const char *
hutch_op_type_name(HutchOpType type)
{
  switch (type) {
  case HUTCH_OP_BIND:
    return "bind";
  case HUTCH_OP_TMPFS:
    return "tmpfs";
  case HUTCH_OP_PROC:
    return "proc";
  case HUTCH_OP_DEVPTS:
    return "devpts";
  case HUTCH_OP_MQUEUE:
    return "mqueue";
  case HUTCH_OP_SYMLINK:
    return "symlink";
  case HUTCH_OP_MKDIR:
    return "mkdir";
  case HUTCH_OP_REMOUNT_RO:
    return "remount-ro";
  case HUTCH_OP_OVERLAY:
    return "overlay";
  case HUTCH_OP_FUSE_OVERLAY:
    return "fuse-overlay";
  }
  return "?";
}

/* What each mode reaches; abstract unix sockets (an X server's among them)
 * belong to the network namespace, not to the filesystem. */
static const char *
network_words(HutchNetMode mode)
{
  switch (mode) {
  case HUTCH_NET_NONE:
    return "own namespace, loopback only; the host's abstract unix sockets unreachable";
  case HUTCH_NET_USER:
    return "own namespace, out through pasta; the host's loopback, own addresses and abstract "
           "unix sockets unreachable";
  case HUTCH_NET_HOST:
    break;
  }
  return "the host's namespace: its loopback services and abstract unix sockets reachable";
}

static void
print_namespaces(const HutchPlan *plan, FILE *out)
{
  fprintf(out, "namespaces");
  for (int i = 0; i < HUTCH_NS_COUNT; i++)
    if (plan->clone_flags & hutch_namespaces[i].flag)
      fprintf(out, " %s", hutch_namespaces[i].word);
  fprintf(out, "\n");
  fprintf(out, "network    %s (%s)\n", hutch_net_mode_name(plan->policy->net),
          network_words(plan->policy->net));
}

static void
print_op(const HutchOp *op, FILE *out)
{
  fprintf(out, "%-10s ", hutch_op_type_name(op->type));
  switch (op->type) {
  case HUTCH_OP_BIND:
    fprintf(out, "%s -> %s", op->show_src, op->show_dest);
    break;
  case HUTCH_OP_SYMLINK:
    fprintf(out, "%s -> %s", op->show_dest, op->data);
    break;
  case HUTCH_OP_TMPFS:
  case HUTCH_OP_OVERLAY:
  case HUTCH_OP_FUSE_OVERLAY:
    fprintf(out, "%s (%s)", op->show_dest, op->data ? op->data : "");
    break;
  default:
    fprintf(out, "%s", op->show_dest);
  }
  if (op->type == HUTCH_OP_BIND || op->type == HUTCH_OP_TMPFS)
    fprintf(out, " %s", op->flags & HUTCH_OPF_RDONLY ? "ro" : "rw");
  if (op->flags & HUTCH_OPF_DEVICES)
    fprintf(out, " dev");
  if (op->flags & HUTCH_OPF_OPTIONAL)
    fprintf(out, " optional");
  fprintf(out, "  [%s]\n", op->why);
}

void
hutch_plan_print(const HutchPlan *plan, FILE *out)
{
  fprintf(out, "sandbox    %s\n", plan->name);
  print_namespaces(plan, out);
  g_autoptr(GString) ids = g_string_new(NULL);
  hutch_idmap_describe(&plan->idmap, ids);
  fputs(ids->str, out);
  fprintf(out, "identity   uid %u gid %u\n", (unsigned)plan->uid, (unsigned)plan->gid);
  for (guint i = 0; i < plan->pre_ops->len; i++)
    print_op(&g_array_index(plan->pre_ops, HutchOp, i), out);
  for (guint i = 0; i < plan->ops->len; i++)
    print_op(&g_array_index(plan->ops, HutchOp, i), out);
  for (char **e = plan->envp; e && *e; e++)
    fprintf(out, "env        %s\n", *e);
  fprintf(out, "hostname   %s\n", plan->hostname ? plan->hostname : "(host's)");
  fprintf(out, "chdir      %s%s\n", plan->chdir,
          plan->chdir_strict ? "" : " (else $HOME when it is not visible)");
  fprintf(out, "session    %s\n",
          plan->new_session ? "new (setsid: no access to the caller's terminal)"
                            : "kept (interactive; TIOCSTI is refused by seccomp)");
  fprintf(out, "caps       all dropped (effective, permitted, inheritable, ambient, bounding)\n");
  fprintf(out, "no_new_privs 1\n");
  fprintf(out, "fds        0 1 2");
  for (guint i = 0; i < plan->keep_fds->len; i++)
    fprintf(out, " %d", g_array_index(plan->keep_fds, int, i));
  fprintf(out, " (all others closed)\n");
  if (plan->seccomp.description) {
    g_auto(GStrv) lines = g_strsplit(plan->seccomp.description, "\n", -1);
    for (char **l = lines; *l; l++)
      if (**l)
        fprintf(out, "seccomp    %s\n", *l);
  } else {
    fprintf(out, "seccomp    off\n");
  }
  for (guint i = 0; i < plan->notes->len; i++)
    fprintf(out, "note       %s\n", (char *)plan->notes->pdata[i]);
  fprintf(out, "init       %s\n", plan->init_path);
  fprintf(out, "command   ");
  for (char **a = plan->app_argv; a && *a; a++) {
    g_autofree char *q = g_shell_quote(*a);
    fprintf(out, " %s", q);
  }
  fprintf(out, "\n");
}
