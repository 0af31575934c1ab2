/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch as the outermost wrapper of a game launcher: Steam's launch option
 * (`hutch run --profile game -- %command%`) and hutch's Steam compatibility
 * tool (`hutch steam install-tool`). Steam says which game it starts and
 * where its files are in its launch environment (SteamAppId and the
 * STEAM_COMPAT_* variables); hutch takes the grants from there rather than
 * from a profile that cannot know a game's paths. */
#pragma once
#include <glib.h>
#include "policy.h"

/* The Steam app id of the game being launched (SteamAppId, else
 * STEAM_COMPAT_APP_ID, in ENVP), when it is a number; NULL otherwise. */
char *hutch_launcher_steam_app_id(char **envp);

/* Under a Steam launch: grant the paths its environment names, keep the
 * loader variables Steam sets (its overlay and runtime libraries, which are
 * inside the granted directories), base the sandbox's name on the app id
 * (steam-APPID), and start no id holder (Steam would wait for it). Each
 * grant's origin names its variable. Nothing happens outside a Steam
 * launch. */
void hutch_launcher_apply(HutchPolicy *policy, char **envp, const char *home);
