# SPDX-License-Identifier: LGPL-2.1-or-later
# hutch-test-timeout: 120
# Locks a sandbox holds must go with it, however it ends.
. "$REPO/tests/faults/faults.sh"

test_persistent_overlay_is_free_right_after_sigkill() {
    local name=$FLT-ov tries=200 busy=0 i pid deadline
    deadline=$(($(now_ms) + 80000))
    for ((i = 0; i < tries; i++)); do
        "${HU[@]}" run --rootfs overlay --persist --name "$name" -- sleep 30 >/dev/null 2>&1 &
        pid=$!
        rand_delay 0 60
        kill -KILL "$pid"
        if ! h run --rootfs overlay --persist --name "$name" -- true 2>"$T/err"; then
            busy=$((busy + 1))
            echo "relaunch $i: $(cat "$T/err")" >&2
        fi
        wait "$pid" 2>/dev/null
        [ "$(now_ms)" -lt "$deadline" ] || { tries=$((i + 1)); break; }
    done
    h ls >/dev/null 2>&1
    as_user rm -rf "$(as_user sh -c 'echo $HOME')/.local/share/hutch/overlays/$name"
    figure "relaunches right after a SIGKILL that found the overlay in use" "$busy" "$tries"
}
