# SPDX-License-Identifier: LGPL-2.1-or-later
# ls, info, stop, freeze and thaw on running sandboxes.
. "$REPO/tests/lifecycle/lifecycle.sh"

BUSY='while :; do :; done'

# The profile `hutch run` applies to `sleep`, as its dry run names it.
profile_of_sleep() {
    h run --dry-run -- sleep 1 | sed -n 's/^note *profile: \([^ ]*\) .*/\1/p'
}

test_ls_table_has_every_column() {
    local profile
    profile=$(profile_of_sleep)
    start ls -- sleep 60 || return
    assert_status 0 h ls || return
    assert_eq "NAME PROFILE STATE PID CPU MEMORY UPTIME COMMAND" \
        "$(last_stdout | head -1 | tr -s ' ')"
    local row
    row=$(last_stdout | awk -v n="$LC-ls" '$1 == n')
    assert_match "^$LC-ls +$profile +RUNNING +[0-9]+ +[0-9]+\.[0-9]{2} +[0-9.]+ (B|KiB|MiB) +[0-9]+s +sleep 60$" "$row"
    assert_eq "$(field "$LC-ls" .pid)" "$(awk '{ print $4 }' <<<"$row")" "PID is init's host pid"
}

test_ls_json_lists_every_field() {
    need_cmd jq
    start js -- sleep 60 || return
    assert_status 0 h ls --json || return
    local obj
    obj=$(last_stdout | jq -c --arg n "$LC-js" '.[] | select(.name == $n)')
    assert_eq "RUNNING" "$(jq -r .state <<<"$obj")"
    assert_eq '["sleep","60"]' "$(jq -c .command <<<"$obj")"
    assert_eq "$(profile_of_sleep)" "$(jq -r .profile <<<"$obj")"
    assert_match '^[0-9]+$' "$(jq -r .pid <<<"$obj")"
    assert_match '^[0-9]+$' "$(jq -r .memory <<<"$obj")"
    assert_eq 2 "$(jq -r .processes <<<"$obj")" "init and sleep"
    assert_match '^[0-9.]+$' "$(jq -r .cpu <<<"$obj")"
    assert_match '^[0-9.]+$' "$(jq -r .uptime <<<"$obj")"
}

test_ls_filters_running_and_frozen() {
    start run -- sleep 60 || return
    start frz -- sleep 60 || return
    assert_status 0 h freeze "$LC-frz" || return
    assert_status 0 h ls --running
    assert_contains "$(last_stdout)" "$LC-run"
    assert_not_contains "$(last_stdout)" "$LC-frz"
    assert_status 0 h ls --frozen
    assert_contains "$(last_stdout)" "$LC-frz"
    assert_contains "$(last_stdout)" "FROZEN"
    assert_not_contains "$(last_stdout)" "$LC-run"
    assert_status 2 h ls extra-argument
}

test_info_shows_the_lxc_fields() {
    start inf --allow gpu --hostname box -- sleep 60 || return
    assert_status 0 h info "$LC-inf" || return
    local out
    out=$(last_stdout)
    assert_match "Name: +$LC-inf" "$out"
    assert_match "State: +RUNNING" "$out"
    assert_match "PID: +[0-9]+" "$out"
    assert_match "CPU use: +[0-9.]+ seconds" "$out"
    assert_match "Memory use: +[0-9.]+ (B|KiB|MiB)" "$out"
    assert_match "TX bytes: +" "$out"
    assert_match "RX bytes: +" "$out"
    assert_match "Link: +lo TX" "$out"
    assert_match "Profile: +$(profile_of_sleep)" "$out"
    assert_match "Permissions: +gpu" "$out"
    assert_match "Uptime: +[0-9]+s" "$out"
    assert_match "Freeze: +" "$out"
    assert_match "NS pid: +[0-9]+" "$out"
    need_cmd jq
    assert_status 0 h info --json "$LC-inf"
    assert_eq '["gpu"]' "$(last_stdout | jq -c .permissions)"
    assert_eq "$(field "$LC-inf" .pid)" "$(last_stdout | jq -r .pid)"
}

test_info_counts_bytes_of_the_sandbox_own_network() {
    need_cmd jq python3
    # 200 datagrams of 1000 bytes over the sandbox's loopback.
    start net -- python3 -c '
import socket, time
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); r.bind(("127.0.0.1", 0))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(200): s.sendto(b"x" * 1000, r.getsockname())
time.sleep(60)' || return
    start quiet -- sleep 60 || return
    wait_for as_user sh -c "[ \$('$HUTCH' info --json $LC-net | jq '.net.links.lo[\"tx-bytes\"]') -ge 200000 ]"
    assert_eq 1 "$(field "$LC-net" '.net.links.lo["tx-bytes"] >= 200000 | if . then 1 else 0 end')" \
        "the sandbox's lo counted its traffic"
    assert_eq 0 "$(field "$LC-quiet" '.net.links.lo["tx-bytes"]')" \
        "another sandbox's own netns saw none of it"
    assert_eq 0 "$(field "$LC-net" '.net["tx-bytes"]')" "no interface but lo with --net none"
}

test_info_with_host_network_says_so() {
    start hostnet --net host -- sleep 60 || return
    assert_status 0 h info "$LC-hostnet"
    assert_match "Network: +host" "$(last_stdout)"
}

test_stop_ends_the_sandbox_and_run_returns_the_app_status() {
    as_user "$HUTCH" run --name "$LC-stop" -- sleep 60 &
    local run=$!
    LC_STARTED+=("$LC-stop")
    wait_for listed "$LC-stop"
    assert_status 0 h stop "$LC-stop"
    local status=0
    wait "$run" || status=$?
    assert_eq 143 "$status" "hutch run returned sleep's death by SIGTERM"
    assert_status 0 not_listed "$LC-stop"
    assert_file_not_exists "$(runtime_root)/$LC-stop"
}

test_stop_kills_after_the_timeout() {
    as_user "$HUTCH" run --name "$LC-stubborn" -- sh -c "trap '' TERM; $BUSY" &
    local run=$!
    wait_for listed "$LC-stubborn"
    local t0 t1
    t0=$(date +%s.%N)
    assert_status 0 h stop --timeout 1 "$LC-stubborn"
    t1=$(date +%s.%N)
    local status=0
    wait "$run" || status=$?
    assert_eq 137 "$status" "killed after ignoring SIGTERM"
    assert_status 0 float_ge "$(echo "$t1 - $t0" | bc)" 0.9
    assert_status 0 float_ge 5 "$(echo "$t1 - $t0" | bc)"
}

test_stop_shows_stopping_while_waiting() {
    as_user "$HUTCH" run --name "$LC-slow" -- sh -c "trap '' TERM; sleep 60" &
    local run=$!
    wait_for listed "$LC-slow"
    h stop --timeout 3 "$LC-slow" &
    local stopper=$!
    assert_status 0 wait_for as_user sh -c "'$HUTCH' ls | grep -q '^$LC-slow .*STOPPING'"
    local status=0
    wait "$stopper" || status=$?
    assert_eq 0 "$status" "hutch stop succeeded"
    status=0
    wait "$run" || status=$?
    assert_eq 137 "$status" "killed after ignoring SIGTERM for 3 s"
}

test_stop_a_frozen_sandbox() {
    as_user "$HUTCH" run --name "$LC-fstop" -- sleep 60 &
    local run=$!
    wait_for listed "$LC-fstop"
    assert_status 0 h freeze "$LC-fstop"
    assert_status 0 h stop --timeout 5 "$LC-fstop"
    local status=0
    wait "$run" || status=$?
    assert_eq 143 "$status" "thawed, then ended by SIGTERM"
}

test_freeze_stops_cpu_use_and_thaw_resumes_it() {
    need_cmd jq
    start busy -- sh -c "$BUSY & $BUSY" || return
    sleep 0.5
    assert_status 0 h freeze "$LC-busy" || return
    assert_eq FROZEN "$(state_of "$LC-busy")"
    local pid
    for pid in $(cat "/proc/$(field "$LC-busy" .pid)/task/"*/children); do
        assert_eq T "$(awk '{ print $3 }' "/proc/$pid/stat")" "process $pid stopped"
    done
    local c1 c2 c3
    c1=$(field "$LC-busy" .cpu)
    sleep 1
    c2=$(field "$LC-busy" .cpu)
    assert_eq "$c1" "$c2" "no CPU used while frozen"
    assert_status 0 h freeze "$LC-busy" # twice is fine
    assert_status 0 h thaw "$LC-busy"
    assert_eq RUNNING "$(state_of "$LC-busy")"
    sleep 1
    c3=$(field "$LC-busy" .cpu)
    assert_status 0 float_ge "$c3" "$(echo "$c2 + 0.2" | bc)"
}

test_freeze_stops_a_whole_process_tree() {
    start tree -- sh -c "for i in 1 2 3; do (sleep 60 & $BUSY) & done; wait" || return
    sleep 0.3
    assert_status 0 h freeze "$LC-tree"
    assert_eq FROZEN "$(state_of "$LC-tree")"
    assert_eq 8 "$(field "$LC-tree" .processes)" "init, sh, 3 subshells, 3 sleeps"
}

test_unknown_sandbox_and_bad_usage() {
    local cmd
    for cmd in info stop freeze thaw; do
        assert_status 1 h "$cmd" "$LC-nothere"
        assert_contains "$(last_stderr)" "no sandbox named '$LC-nothere'"
    done
    # enter's own status is the entered command's: hutch's failures are 125.
    assert_status 125 h enter "$LC-nothere"
    assert_contains "$(last_stderr)" "no sandbox named '$LC-nothere'"
    assert_status 2 h info
    assert_status 2 h stop a b
    assert_status 2 h stop --timeout -1 x
    assert_status 2 h freeze --no-such-option x
}

test_help_lists_the_commands() {
    assert_status 0 "$HUTCH" --help
    local cmd
    for cmd in ls info stop freeze thaw enter check; do
        assert_match "  $cmd " "$(last_stdout)"
    done
}
