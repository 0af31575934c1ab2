/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch run --dry-run: the plan in words, one line per decision. */
#include "idmap.h"
#include "plan.h"
#include "namespaces.h"
#include "print.h"
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
  g_autoptr(GString) ns = g_string_new("namespaces");
  for (int i = 0; i < HUTCH_NS_COUNT; i++)
    if (plan->clone_flags & hutch_namespaces[i].flag)
      g_string_append_printf(ns, " %s", hutch_namespaces[i].word);
  hutch_print_line(out, "%s", ns->str);
  hutch_print_line(out, "network    %s (%s)", hutch_net_mode_name(plan->policy->net),
                   network_words(plan->policy->net));
}

static void
print_op(const HutchOp *op, FILE *out)
{
  g_autoptr(GString) line = g_string_new(NULL);
  g_string_append_printf(line, "%-10s ", hutch_op_type_name(op->type));
  switch (op->type) {
  case HUTCH_OP_BIND:
    g_string_append_printf(line, "%s -> %s", op->show_src, op->show_dest);
    break;
  case HUTCH_OP_SYMLINK:
    g_string_append_printf(line, "%s -> %s", op->show_dest, op->data);
    break;
  case HUTCH_OP_TMPFS:
  case HUTCH_OP_OVERLAY:
  case HUTCH_OP_FUSE_OVERLAY:
    g_string_append_printf(line, "%s (%s)", op->show_dest, op->data ? op->data : "");
    break;
  default:
    g_string_append(line, op->show_dest);
  }
  if (op->type == HUTCH_OP_BIND || op->type == HUTCH_OP_TMPFS)
    g_string_append_printf(line, " %s", op->flags & HUTCH_OPF_RDONLY ? "ro" : "rw");
  if (op->flags & HUTCH_OPF_DEVICES)
    g_string_append(line, " dev");
  if (op->flags & HUTCH_OPF_OPTIONAL)
    g_string_append(line, " optional");
  g_string_append_printf(line, "  [%s]", op->why);
  hutch_print_line(out, "%s", line->str);
}

/* Every line goes through hutch_print_line: a path, a variable or an
 * argument that holds a newline or an escape sequence shows escaped and
 * cannot forge a line of the plan. */
void
hutch_plan_print(const HutchPlan *plan, FILE *out)
{
  hutch_print_line(out, "sandbox    %s", plan->name);
  print_namespaces(plan, out);
  g_autoptr(GString) ids = g_string_new(NULL);
  hutch_idmap_describe(&plan->idmap, ids);
  g_auto(GStrv) id_lines = g_strsplit(ids->str, "\n", -1);
  for (char **l = id_lines; *l; l++)
    if (**l)
      hutch_print_line(out, "%s", *l);
  hutch_print_line(out, "identity   uid %u gid %u", (unsigned)plan->uid, (unsigned)plan->gid);
  for (guint i = 0; i < plan->pre_ops->len; i++)
    print_op(&g_array_index(plan->pre_ops, HutchOp, i), out);
  for (guint i = 0; i < plan->ops->len; i++)
    print_op(&g_array_index(plan->ops, HutchOp, i), out);
  for (char **e = plan->envp; e && *e; e++)
    hutch_print_line(out, "env        %s", *e);
  hutch_print_line(out, "hostname   %s", plan->hostname ? plan->hostname : "(host's)");
  hutch_print_line(out, "chdir      %s%s", plan->chdir,
                   plan->chdir_strict ? "" : " (else $HOME when it is not visible)");
  hutch_print_line(out, "session    %s",
                   plan->new_session ? "new (setsid: no access to the caller's terminal)"
                                     : "kept (interactive; TIOCSTI is refused by seccomp)");
  hutch_print_line(out,
                   "caps       all dropped (effective, permitted, inheritable, ambient, bounding)");
  hutch_print_line(out, "no_new_privs 1");
  g_autoptr(GString) fds = g_string_new("fds        0 1 2");
  for (guint i = 0; i < plan->keep_fds->len; i++)
    g_string_append_printf(fds, " %d", g_array_index(plan->keep_fds, int, i));
  hutch_print_line(out, "%s (all others closed)", fds->str);
  if (plan->seccomp.description) {
    g_auto(GStrv) lines = g_strsplit(plan->seccomp.description, "\n", -1);
    for (char **l = lines; *l; l++)
      if (**l)
        hutch_print_line(out, "seccomp    %s", *l);
  } else {
    hutch_print_line(out, "seccomp    off");
  }
  g_autofree char *scratch = hutch_scratch_describe(plan);
  hutch_print_line(out, "scratch    %s", scratch);
  for (guint i = 0; i < plan->notes->len; i++)
    hutch_print_line(out, "note       %s", (char *)plan->notes->pdata[i]);
  hutch_print_line(out, "init       %s", plan->init_path);
  g_autoptr(GString) command = g_string_new("command   ");
  for (char **a = plan->app_argv; a && *a; a++) {
    g_autofree char *q = g_shell_quote(*a);
    g_string_append_printf(command, " %s", q);
  }
  hutch_print_line(out, "%s", command->str);
}
