/* Audio passthrough helpers shared by the plan step (audio.c) and the
 * cleanup of what a killed hutch left behind (audio-orphans.c). */
#pragma once
#include <glib.h>

/* Where a sandbox's own sound socket lives, relative to its runtime dir. */
#define HUTCH_AUDIO_DIR "pulse"
#define HUTCH_AUDIO_SOCKET HUTCH_AUDIO_DIR "/native"
#define HUTCH_AUDIO_OWNER HUTCH_AUDIO_DIR "/owner"

/* Record this process as the owner of the module about to be loaded, so a
 * later hutch can tell the module is orphaned once this process is gone. */
gboolean hutch_audio_write_owner(const char *path, GError **error);

/* Unload the sound-server modules of sandboxes whose hutch died without
 * cleaning up (kill -9, a crash). Cheap when there are none: the server is
 * contacted only when a stale owner file exists. Never fails the caller. */
void hutch_audio_cleanup_orphans(void);
