/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Audio passthrough (audio.c): where a sandbox's own sound socket lives,
 * relative to its runtime dir. */
#pragma once

#define HUTCH_AUDIO_DIR "pulse"
#define HUTCH_AUDIO_SOCKET HUTCH_AUDIO_DIR "/native"
