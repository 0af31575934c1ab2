/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The default seccomp filter as data (DESIGN.md §5). seccomp.c turns the
 * table into libseccomp rules and into the dry-run description; keeping the
 * policy here and the mechanics there means a reviewer reads one short list
 * to know what the sandbox refuses. */
#pragma once
#include <glib.h>

/* Which arguments a rule inspects. Every comparison is on the low 32 bits
 * because the kernel reads these arguments as int or unsigned int: a caller
 * that sets the high bits of the register must not slip past the filter. */
typedef enum {
  HUTCH_SC_ARG_NONE,          /* the whole syscall */
  HUTCH_SC_ARG_CLONE_NEWUSER, /* clone() whose flags include CLONE_NEWUSER */
  HUTCH_SC_ARG_TIOCSTI,       /* ioctl(fd, TIOCSTI) */
  HUTCH_SC_ARG_TIOCLINUX,     /* ioctl(fd, TIOCLINUX) */
  HUTCH_SC_ARG_PERSONALITY,   /* personality() other than the allowed personas */
  HUTCH_SC_ARG_FAMILY,        /* socket()/socketpair() outside the allowed families */
} HutchScArg;

typedef struct {
  const char *name; /* syscall name as libseccomp spells it */
  int errnum;       /* errno returned */
  guint lifted_by;  /* HutchPerm bits that remove the rule; 0: never */
  HutchScArg arg;
  /* Number on the native architecture for a syscall newer than libseccomp's
   * table, or -1. Only used when libseccomp cannot resolve the name. */
  int fallback_nr;
} HutchScRule;

extern const HutchScRule hutch_sc_rules[];
extern const gsize hutch_sc_n_rules;

/* The values that stay allowed for the argument-filtered rules, ascending. */
extern const guint32 hutch_sc_allowed_families[];
extern const gsize hutch_sc_n_allowed_families;
extern const guint32 hutch_sc_allowed_personas[];
extern const gsize hutch_sc_n_allowed_personas;

/* Names for the description, in the same order as the arrays above. */
extern const char *const hutch_sc_allowed_family_names;
extern const char *const hutch_sc_allowed_persona_names;
