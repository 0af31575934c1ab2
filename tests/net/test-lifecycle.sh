# SPDX-License-Identifier: LGPL-2.1-or-later
# pasta's lifecycle under --net user: started before the app, gone when the
# sandbox ends, also when hutch is killed; a missing pasta; what dry-run,
# check and info say.
# shellcheck source=tests/net/net.sh
. "$REPO/tests/net/net.sh"

runtime_root() { printf '%s/hutch\n' "$(user_runtime_dir "$TEST_USER")"; }

# pasta_of NAME: the pid of sandbox NAME's pasta, from its cleanup record.
pasta_of() { awk '$1 == "pasta" { print $2 }' "$(runtime_root)/$1/cleanup"; }

gone() { ! ps -o stat= -p "$1" | grep -qv '^Z'; }

test_network_is_up_when_the_app_starts() {
    serve "$NET_O" tcp "$OUT4" 8080
    local i
    for i in 1 2 3; do
        assert_status 0 probe user -- get "http://$OUT4:8080/index.txt"
    done
}

test_pasta_ends_with_the_sandbox() {
    local name=net$$ pid
    assert_eq "" "$(user_pastas)" "no pasta of the test user before"
    assert_status 0 net_hutch run --detach --name "$name" --net user -- sleep 60
    pid=$(pasta_of "$name")
    assert_match '^[0-9]+$' "$pid" "the cleanup record names pasta"
    assert_eq "$pid" "$(user_pastas)" "one pasta while the sandbox runs"
    assert_status 0 net_hutch stop "$name"
    assert_eq "" "$(user_pastas)" "none once it stopped"
    assert_status 0 net_hutch run --net user -- true
    assert_eq "" "$(user_pastas)" "none after a sandbox that ran to its end"
}

test_pasta_ends_when_hutch_is_killed() {
    local name=net$$ pid hutch_pid dir
    assert_status 0 net_hutch run --detach --name "$name" --net user -- sleep 60
    dir=$(runtime_root)/$name
    pid=$(pasta_of "$name")
    hutch_pid=$(sed -n 's/^HutchPid=//p' "$dir/state")
    kill -KILL "$hutch_pid"
    WAIT_FOR_SECONDS=15 wait_for gone "$pid"
    assert_status 0 gone "$pid"
    assert_eq "" "$(user_pastas)" "no pasta left"
    assert_status 0 net_hutch ls
    assert_file_not_exists "$dir" "the next command cleaned the dead sandbox"
}

# The stale cleanup's own part, for a pasta that outlived its hutch (which
# PR_SET_PDEATHSIG prevents, so the survivor is a real pasta the test starts
# itself and adds to the dead sandbox's cleanup record).
test_stale_cleanup_kills_a_pasta_left_behind() {
    local name=net$$ target pid start dir hutch_pid USER_ARGV
    user_argv "$TEST_USER"
    assert_status 0 net_hutch run --detach --name "$name" --net user -- sleep 60
    dir=$(runtime_root)/$name
    ip netns exec "$NET_H" "${USER_ARGV[@]}" unshare -rn sleep 60 &
    target=$!
    NET_PIDS+=("$target")
    WAIT_FOR_SECONDS=5 wait_for sh -c "[ \"\$(cat /proc/$target/comm)\" = sleep ]"
    ip netns exec "$NET_H" "${USER_ARGV[@]}" pasta --config-net --foreground --quiet "$target" &
    pid=$!
    NET_PIDS+=("$pid")
    WAIT_FOR_SECONDS=5 wait_for sh -c "grep -q '^pas' /proc/$pid/comm"
    start=$(awk '{ print $22 }' "/proc/$pid/stat")
    as_user sh -c "printf 'pasta %s %s\n' $pid $start >>'$dir/cleanup'"
    hutch_pid=$(sed -n 's/^HutchPid=//p' "$dir/state")
    kill -KILL "$hutch_pid"
    WAIT_FOR_SECONDS=5 wait_for sh -c "[ ! -e /proc/$hutch_pid ]"
    assert_status 1 gone "$pid" "the left-behind pasta survived hutch"
    assert_status 0 net_hutch ls
    WAIT_FOR_SECONDS=15 wait_for gone "$pid"
    assert_status 0 gone "$pid" "the next command killed it"
    assert_file_not_exists "$dir"
}

test_missing_pasta_is_one_clear_error() {
    local USER_ARGV
    user_argv "$TEST_USER"
    mkdir -p "$T/bin" && ln -s /bin/sh "$T/bin/sh"
    assert_status 125 ip netns exec "$NET_H" "${USER_ARGV[@]}" PATH="$T/bin" "$HUTCH" run --net user -- /bin/true
    assert_eq "hutch: --net user needs pasta, which is not installed: install the package passt" \
        "$(last_stderr)"
    assert_file_not_exists "$(runtime_root)/true" "nothing left behind"
    assert_status 0 ip netns exec "$NET_H" "${USER_ARGV[@]}" PATH="$T/bin" "$HUTCH" check
    assert_match "pasta: +missing .*install the package passt" "$(last_stdout | grep '^pasta:')"
}

test_a_failing_pasta_stops_the_launch_with_its_words() {
    local USER_ARGV
    user_argv "$TEST_USER"
    mkdir -p "$T/bin"
    printf '#!/bin/sh\necho "0.0012: ERROR:   Failed to open tun socket in namespace" >&2\nexit 1\n' \
        >"$T/bin/pasta"
    chmod 755 "$T/bin/pasta"
    assert_status 125 ip netns exec "$NET_H" "${USER_ARGV[@]}" PATH="$T/bin:$TEST_USER_PATH" \
        "$HUTCH" run --net user -- touch "$T/app-ran"
    assert_eq "hutch: network: pasta failed (exit status 1): Failed to open tun socket in namespace" \
        "$(last_stderr)"
    assert_file_not_exists "$T/app-ran" "the app never ran"
    assert_file_not_exists "$(runtime_root)/touch" "nothing left behind"
}

test_dry_run_and_check_say_what_is_reachable() {
    assert_status 0 net_hutch run --dry-run --net user --host-port 631 --publish 8080 -- true
    assert_match "^network +user \(own namespace, out through pasta; the host's loopback, own addresses and abstract unix sockets unreachable\)" \
        "$(last_stdout | grep '^network')"
    assert_contains "$(last_stdout)" "--no-map-gw --tcp-ports 8080 --udp-ports none --tcp-ns 631 --udp-ns none"
    assert_contains "$(last_stdout)" "$EXTRA4"
    assert_status 0 net_hutch run --dry-run --net none -- true
    assert_contains "$(last_stdout | grep '^network')" "abstract unix sockets unreachable"
    assert_status 0 net_hutch run --dry-run --net host -- true
    assert_contains "$(last_stdout | grep '^network')" "abstract unix sockets reachable"
    assert_status 0 net_hutch check
    assert_match "abstract unix sockets: +enabled .*unreachable with --net none and user" \
        "$(last_stdout | grep '^abstract')"
    assert_match "pasta: +enabled" "$(last_stdout | grep '^pasta:')"
}

rx_bytes() {
    net_hutch info --json "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["net"]["rx-bytes"])'
}
downloaded() { [ "$(rx_bytes "$1")" -gt 3000000 ]; }

test_info_shows_the_sandboxs_traffic() {
    local name=net$$
    mkdir -p "$T/www" && head -c 3000000 /dev/urandom >"$T/www/big"
    ip netns exec "$NET_O" python3 "$PROBE" http-server "$OUT4" 8080 "$T/www" &
    NET_PIDS+=($!)
    wait_for listening "$NET_O" tcp 8080
    assert_status 0 net_hutch run --detach --name "$name" --net user --ro "$NET_DIR" -- sh -c \
        "python3 $PROBE get http://$OUT4:8080/big >/dev/null; sleep 60"
    WAIT_FOR_SECONDS=10 wait_for downloaded "$name"
    assert_status 0 downloaded "$name" "RX counts the 3 MB download"
    assert_status 0 net_hutch info "$name"
    assert_match "^Network: +user" "$(last_stdout | grep '^Network')"
    assert_match "^Link: +nh0 TX .*, RX [0-9.]+ MiB" "$(last_stdout | grep '^Link: *nh0')"
    net_hutch stop "$name" >/dev/null 2>&1
}
