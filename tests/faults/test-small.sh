# SPDX-License-Identifier: LGPL-2.1-or-later
# Smaller faults: many --env values, leftovers of the overlay probe and of
# an overlay that fails for lack of space, limits too small to start
# anything, and a home of /.
. "$REPO/tests/faults/faults.sh"

test_thirty_thousand_env_values_are_fast() {
    local i t0 ms args=()
    for ((i = 0; i < 30000; i++)); do args+=(--env "V$i=$i"); done
    t0=$(now_ms)
    assert_status 0 h run "${args[@]}" -- sh -c 'env | grep -c ^V'
    ms=$(($(now_ms) - t0))
    echo "FIGURE 30,000 --env values: $ms ms" >&2
    assert_eq 30000 "$(last_stdout)"
    assert_eq 1 "$((ms < 3000))" "took $ms ms"
}

test_no_overlay_probe_dirs_are_left_after_kills() {
    local tries=40 i pid left
    for ((i = 0; i < tries; i++)); do
        "${HU[@]}" run --rootfs overlay -- true >/dev/null 2>&1 &
        pid=$!
        rand_delay 0 30
        kill -KILL "$pid"
        wait "$pid" 2>/dev/null
    done
    h ls >/dev/null 2>&1
    left=$(ls -A "$(runtime_root)" | grep -c 'overlay-probe' || true)
    figure "overlay probe directories left after $tries killed overlay launches" "$left" "$tries"
}

# A persistent overlay made on a filesystem that runs out of inodes at each
# step of its making: a launch that fails leaves no overlay behind.
test_an_overlay_that_fails_for_lack_of_space_leaves_nothing() {
    need_root
    local n left=0 failed=0 data
    for n in 3 4 5 6 7 8 9 10 11 12; do
        data=$T/data$n
        mkdir "$data"
        mount -t tmpfs -o "nr_inodes=$n,size=1M" tmpfs "$data" || skip "cannot mount a tmpfs"
        chown "$(user_uid "$TEST_USER")" "$data"
        if ! h_data "$data" run --rootfs overlay --persist --name "$FLT-ns" -- true \
            >/dev/null 2>"$T/err"; then
            failed=$((failed + 1))
            if [ -e "$data/hutch/overlays/$FLT-ns" ]; then
                left=$((left + 1))
                echo "nr_inodes=$n: $(cat "$T/err"); left: $(cd "$data" && find hutch | tr '\n' ' ')" >&2
            fi
        fi
        umount "$data"
    done
    assert_ne 0 "$failed" "some launches ran out of space"
    figure "overlays left by launches that failed for lack of space" "$left" "$failed"
}

h_data() {
    local data=$1
    shift
    as_user env XDG_DATA_HOME="$data" "$HUTCH" "$@"
}

test_a_memory_limit_too_small_to_start_anything_is_refused() {
    assert_status 2 h run --memory 1M -- true
    assert_contains "$(last_stderr)" "--memory 1M"
    assert_contains "$(last_stderr)" "too small"
    assert_status 0 h run --memory 16M -- true
}

test_home_of_slash_is_explained() {
    assert_status 125 as_user env HOME=/ "$HUTCH" run -- true
    assert_contains "$(last_stderr)" "HOME=/"
    assert_not_contains "$(last_stderr)" "absolute path"
}
