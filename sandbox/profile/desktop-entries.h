/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The app menu through hutch, as firejail's firecfg and flatpak's exported
 * entries do it: for an installed app (its .desktop file in the XDG data
 * dirs) that has a profile, an entry of the same file name in the user's
 * ~/.local/share/applications, which the menu prefers, whose Exec lines run
 * the app through `hutch run --join --profile NAME --`. Everything else of
 * the entry (field codes, TryExec, icons, StartupWMClass, MIME types,
 * translations) is kept; D-Bus activation, which would start the app
 * without its Exec line, is turned off and the app's D-Bus service is
 * overridden the same way. hutch marks what it writes and never replaces
 * or removes a file it did not write. */
#pragma once
#include <glib.h>

/* The installed entry of PROGRAM (its Exec line's program, or its id),
 * whether or not it has a profile: for `hutch profile new`. NULL if none;
 * unref the key file. *PATH gets where it is. */
GKeyFile *hutch_desktop_entry_of(const char *program, char **path);

/* The key that marks a file hutch wrote; its value is the source entry. */
#define HUTCH_DESKTOP_MARK "X-Hutch-Source"

typedef struct {
  char *id;      /* the entry's file name: org.gnome.Evince.desktop */
  char *path;    /* where the system has it */
  char *profile; /* the profile that runs it */
  char *name;    /* Name=, for listing */
} HutchDesktopApp;

void hutch_desktop_app_free(HutchDesktopApp *app);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HutchDesktopApp, hutch_desktop_app_free)

/* Every installed app entry (the XDG data dirs below the user's own) whose
 * program has a profile (shipped or the user's; never `default`), sorted by
 * id. The profile is the one named like the program of the entry's Exec
 * line. */
GPtrArray *hutch_desktop_apps(void);
/* Add to OUT the entries ARG names: every entry of the profile ARG, or the
 * entry whose id ARG is (with or without .desktop); FALSE with an error
 * listing what is installed when none. */
gboolean hutch_desktop_find(GPtrArray *apps, const char *arg, GPtrArray *out, GError **error);

typedef enum {
  HUTCH_DESKTOP_OFF,   /* no entry of ours in the user's dir */
  HUTCH_DESKTOP_ON,    /* ours, up to date */
  HUTCH_DESKTOP_STALE, /* ours, but the system entry changed since */
  HUTCH_DESKTOP_USERS, /* the user's own file of that name: left alone */
} HutchDesktopStatus;

HutchDesktopStatus hutch_desktop_status(const HutchDesktopApp *app);
const char *hutch_desktop_status_name(HutchDesktopStatus status);

/* Write APP's entry (and D-Bus service) running through HUTCH_BIN; FALSE
 * with an error when the user has a file of that name. Idempotent. */
gboolean hutch_desktop_enable(const HutchDesktopApp *app, const char *hutch_bin, GError **error);
/* Remove what enable wrote, nothing else; TRUE when there was nothing. */
gboolean hutch_desktop_disable(const HutchDesktopApp *app, GError **error);

/* The entry enable would write for the system entry at PATH, as text. */
char *hutch_desktop_entry_text(const char *path, const char *profile, const char *hutch_bin,
                               GError **error);
/* ~/.local/share/applications (XDG_DATA_HOME). */
char *hutch_desktop_user_dir(void);
