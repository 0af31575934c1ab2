/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Profiles -> Policy: find profile files, resolve their includes and the
 * user's override file, and apply them, then the command line, in a defined
 * order (includes < profile < override < command line; at one level, deny
 * beats allow). Every problem is reported as "FILE:LINE: message". */
#pragma once
#include <glib.h>
#include "policy.h"
#include "profile-keys.h"

/* Where profiles and includes are looked for, highest first:
 * $XDG_CONFIG_HOME/hutch/profiles, SYSCONFDIR/hutch/profiles and the shipped
 * directory. NULL-terminated; g_strfreev. */
char **hutch_profile_search_path(void);
/* $XDG_CONFIG_HOME/hutch/overrides/NAME.profile (which may not exist). */
char *hutch_profile_override_path(const char *name);
/* TRUE when NAME can name a profile: letters, digits, '.', '_', '+', '-',
 * not starting with '.'. */
gboolean hutch_profile_name_valid(const char *name);
/* The first FILE_NAME in SEARCH (or DIR first when not NULL); NULL if none. */
char *hutch_profile_find_file(char **search, const char *dir, const char *file_name);
/* PROFILE's name from its path: the base name without .profile or .inc. */
char *hutch_profile_name_from_path(const char *path);

/* A level of settings that is not a file: the command line. */
typedef struct HutchProfileLayer HutchProfileLayer;
HutchProfileLayer *hutch_profile_layer_new(void);
void hutch_profile_layer_free(HutchProfileLayer *layer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HutchProfileLayer, hutch_profile_layer_free)
/* Add one value of KEY given by command-line option FLAG; checks it now so a
 * bad value is a usage error before any profile is read. */
gboolean hutch_profile_layer_add(HutchProfileLayer *layer, const HutchProfileKey *key,
                                 const char *flag, const char *value, GError **error);

/* Applies files and layers to one policy, collecting every error. */
typedef struct HutchProfileLoader HutchProfileLoader;
/* SEARCH: the directories for includes and names (NULL: the default path). */
HutchProfileLoader *hutch_profile_loader_new(char **search);
void hutch_profile_loader_free(HutchProfileLoader *loader);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HutchProfileLoader, hutch_profile_loader_free)

/* Apply the file at PATH (DATA/LEN when DATA is not NULL: its content),
 * includes first. Returns FALSE when it or an include had errors. */
gboolean hutch_profile_loader_apply_file(HutchProfileLoader *loader, HutchPolicy *policy,
                                         const char *path, const char *data, gsize len);
gboolean hutch_profile_loader_apply_layer(HutchProfileLoader *loader, HutchPolicy *policy,
                                          const HutchProfileLayer *layer);
/* The errors so far, one "FILE:LINE: message" each. */
GPtrArray *hutch_profile_loader_errors(HutchProfileLoader *loader);
/* All errors as one GError (HUTCH_ERROR_PROFILE), lines joined by newlines. */
gboolean hutch_profile_loader_take_errors(HutchProfileLoader *loader, GError **error);

/* Apply a profile (a name in the search path, or a path with a '/') and its
 * override file; FALSE with ERROR (HUTCH_ERROR_NOT_FOUND) only when the
 * profile does not exist: problems inside files go to the loader's errors.
 * Sets policy->profile_name. */
gboolean hutch_profile_loader_apply_profile(HutchProfileLoader *loader, HutchPolicy *policy,
                                            const char *name_or_path, GError **error);

/* Resolve NAME_OR_PATH (a name in the search path, or a path with a '/'):
 * the profile file with its includes, then NAME's override file. Sets
 * policy->profile_name. Errors: HUTCH_ERROR_NOT_FOUND, HUTCH_ERROR_PROFILE. */
gboolean hutch_profile_load(HutchPolicy *policy, const char *name_or_path, GError **error);
/* The NAME.profile (and with INCLUDES, NAME.inc) files in DIR, sorted; g_strfreev. */
char **hutch_profile_dir_files(const char *dir, gboolean includes);
/* The profile names in SEARCH, sorted, without duplicates; g_strfreev. */
char **hutch_profile_names(char **search);

/* `hutch profile show`: the profile's name and files, then the resolved
 * policy, one setting per line with its origin. */
void hutch_profile_show(const HutchPolicy *policy, GString *out);
/* The settings of that listing one by one: SETTING ("home", "ro", "allow",
 * ...), its VALUE and ORIGIN ("FILE:LINE", "command line"; NULL: the
 * default). */
typedef void (*HutchProfileRowFn)(const char *setting, const char *value, const char *origin,
                                  gpointer data);
void hutch_profile_show_rows(const HutchPolicy *policy, HutchProfileRowFn fn, gpointer data);
