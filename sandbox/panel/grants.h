/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a resolved policy grants, in plain words, for the launch page: one
 * line per thing the app may reach, each with the file and line that
 * granted it. */
#pragma once
#include <glib.h>
#include "policy.h"

typedef struct {
  const char *topic; /* "Display", "Sound", "Network", "Files", ... */
  char *text;        /* what, in words */
  char *origin;      /* "FILE:LINE", "command line"; NULL: hutch's default */
} HutchGrant;

/* The grants (HutchGrant*) of POLICY, display first. */
GPtrArray *hutch_grants(const HutchPolicy *policy);
