#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# A game as Steam starts it (installed into the test's game directory): it
# tells its client, through ~/.steam/steam.pipe, what it reaches of it, then
# plays real SDL 2 programs for a moment (video on the display, sound on
# the sound server), and exits with 7.
sdl=/usr/libexec/installed-tests/SDL2
sem_value() {
    python3 -c 'import ctypes, os
l = ctypes.CDLL(None)
i = l.semget(int(os.environ["FAKE_STEAM_SEM_KEY"]), 0, 0)
print(l.semctl(i, 0, 12) if i >= 0 else "unreachable")'  # 12: GETVAL
}
{
    echo "cwd=$PWD"
    echo "name=${HUTCH_SANDBOX:-none}"
    echo "shm=$(cat "$FAKE_STEAM_SHM" 2>&1)"
    echo "sem=$(sem_value 2>&1)"
    echo "pid=$(cat "$HOME/.steampid" 2>&1)"
    echo "pidns=$(readlink /proc/self/ns/pid)"
    echo "container=$(cat /run/host/container-manager 2>&1)"
    echo "runtime=${FAKE_SLR_RAN:-none}"
    timeout 3 "$sdl/testspriteminimal" >/dev/null 2>&1
    echo "video=$?"
    (cd "$sdl" && timeout 2 ./loopwave >/dev/null 2>&1)
    echo "audio=$?"
} >"$HOME/.steam/steam.pipe"
exit 7
