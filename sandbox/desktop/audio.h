/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Audio passthrough helpers shared by the plan step (audio.c) and the undo
 * of what a killed hutch left behind (audio-orphans.c). */
#pragma once
#include <glib.h>

/* Where a sandbox's own sound socket lives, relative to its runtime dir. */
#define HUTCH_AUDIO_DIR "pulse"
#define HUTCH_AUDIO_SOCKET HUTCH_AUDIO_DIR "/native"

/* The cleanup type recorded (state.h) before the module is loaded. */
#define HUTCH_AUDIO_CLEANUP "pulse-module"

/* Unload the sound server's module-native-protocol-unix listening on
 * SOCKET: run for a sandbox whose hutch died (kill -9, a crash). Idempotent:
 * a module that is gone, or a server that is gone, leaves nothing to do. */
void hutch_audio_cleanup(const char *socket);
