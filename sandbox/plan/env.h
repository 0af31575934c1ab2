/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The app's environment: the caller's, minus host secrets, plus what the
 * policy and the passthroughs set. */
#pragma once
#include <glib.h>
#include "policy.h"

/* TRUE when KEY is scrubbed by default (sockets to host agents, loader hooks). */
gboolean hutch_env_is_secret(const char *key);
/* Build the starting environment from `host_env` under the policy's rules. */
char **hutch_env_build(char **host_env, const HutchPolicy *policy);
/* ENV (consumed) with the policy's env_set set and env_unset removed, in
 * one pass however many there are. */
char **hutch_env_apply_policy(char **env, const HutchPolicy *policy);
