# SPDX-License-Identifier: LGPL-2.1-or-later
# D-Bus through xdg-dbus-proxy, against real buses this suite starts
# (dbus-daemon --session, and one of type system) and real services on them
# (tests/dbus/services.py). Each refusal has its positive control: the same
# request made from outside the sandbox, on the same bus, works.
. "$REPO/tests/dbus/dbus.sh"

teardown() {
    stop_recorded
}

test_no_rules_no_bus() {
    need_dbus
    start_session_bus || { assert_eq "bus" "not started" ""; return; }
    assert_status 0 hutch_bus -- sh -c \
        'echo "${DBUS_SESSION_BUS_ADDRESS:-none} ${DBUS_SYSTEM_BUS_ADDRESS:-none}"; ls -A "$XDG_RUNTIME_DIR"; ls /run'
    assert_eq "none none" "$(last_stdout | head -n 1)" "no bus address inside"
    assert_not_contains "$(last_stdout)" "bus" "no bus socket inside"
    assert_status nonzero hutch_bus --env "DBUS_SESSION_BUS_ADDRESS=$SESSION_BUS" -- \
        python3 "$CLIENT" names
}

test_notify_send_reaches_the_service_only_when_granted() {
    need_dbus
    need_cmd notify-send
    start_session_bus && start_services org.freedesktop.Notifications org.example.Other ||
        { assert_eq "services" "not started" "$(cat "$T/services.out")"; return; }
    assert_status 0 on_bus notify-send "from the host" "positive control"
    assert_status 0 hutch_bus --talk org.freedesktop.Notifications -- notify-send granted "from inside"
    assert_status nonzero hutch_bus --talk org.example.Other -- notify-send refused "from inside"
    assert_contains "$(cat "$T/services.log")" "notify from the host | positive control"
    assert_contains "$(cat "$T/services.log")" "notify granted | from inside"
    assert_not_contains "$(cat "$T/services.log")" "refused"
}

test_names_not_granted_are_invisible_and_unreachable() {
    need_dbus
    start_session_bus && start_services org.example.Secret org.example.Granted ||
        { assert_eq "services" "not started" "$(cat "$T/services.out")"; return; }
    assert_status 0 on_bus python3 "$CLIENT" names
    assert_contains "$(last_stdout)" "org.example.Secret" "the host sees it"
    assert_status 0 on_bus python3 "$CLIENT" call org.example.Secret Allowed
    assert_eq "call Allowed: Allowed" "$(last_stdout)" "the host reaches it"
    assert_status 0 hutch_bus --talk org.example.Granted -- python3 "$CLIENT" names
    assert_eq "names: org.example.Granted org.freedesktop.DBus" "$(last_stdout)"
    assert_status 0 hutch_bus --talk org.example.Granted -- python3 "$CLIENT" call \
        org.example.Secret Allowed
    assert_eq "call Allowed: org.freedesktop.DBus.Error.ServiceUnknown" "$(last_stdout)"
    assert_eq 1 "$(grep -c 'org.example.Secret Allowed' "$T/services.log")" "only the host's call"
}

test_own_takes_its_name_and_nothing_else() {
    need_dbus
    start_session_bus || { assert_eq "bus" "not started" ""; return; }
    assert_status 0 on_bus python3 "$CLIENT" own org.mpris.MediaPlayer2.other
    assert_eq "own org.mpris.MediaPlayer2.other: ok" "$(last_stdout)" "positive control"
    assert_status 0 hutch_bus --own 'org.mpris.MediaPlayer2.hutchtest.*' -- python3 "$CLIENT" own \
        org.mpris.MediaPlayer2.hutchtest org.mpris.MediaPlayer2.hutchtest.instance2 \
        org.mpris.MediaPlayer2.other org.example.Anything
    assert_eq "own org.mpris.MediaPlayer2.hutchtest: ok
own org.mpris.MediaPlayer2.hutchtest.instance2: ok
own org.mpris.MediaPlayer2.other: org.freedesktop.DBus.Error.ServiceUnknown
own org.example.Anything: org.freedesktop.DBus.Error.ServiceUnknown" "$(last_stdout)" \
        "the proxy answers a name the app may not own as if no such service existed"
}

test_a_method_outside_the_call_rule_is_refused() {
    need_dbus
    start_session_bus && start_services org.example.Service ||
        { assert_eq "services" "not started" "$(cat "$T/services.out")"; return; }
    local rule=org.example.Service=org.example.Service.Allowed@/org/example/Service
    assert_status 0 hutch_bus --call "$rule" -- python3 "$CLIENT" call org.example.Service Allowed
    assert_eq "call Allowed: Allowed" "$(last_stdout)"
    assert_status 0 hutch_bus --call "$rule" -- python3 "$CLIENT" call org.example.Service Forbidden
    assert_eq "call Forbidden: org.freedesktop.DBus.Error.AccessDenied" "$(last_stdout)"
    assert_status 0 hutch_bus --talk org.example.Service -- python3 "$CLIENT" call \
        org.example.Service Forbidden
    assert_eq "call Forbidden: Forbidden" "$(last_stdout)" "talk= allows every method"
    assert_eq "org.example.Service Allowed
org.example.Service Forbidden" "$(cat "$T/services.log")" "the refused call never arrived"
}

test_system_bus_is_filtered_likewise() {
    need_dbus
    start_session_bus && start_system_bus && start_services --system org.example.Sys \
        org.example.SysSecret || { assert_eq "services" "not started" "$(cat "$T/services.out")"; return; }
    assert_status 0 on_bus python3 "$CLIENT" --system names
    assert_contains "$(last_stdout)" "org.example.SysSecret" "the host sees it"
    assert_status 0 hutch_bus --system-talk org.example.Sys -- sh -c \
        'echo "$DBUS_SYSTEM_BUS_ADDRESS ${DBUS_SESSION_BUS_ADDRESS:-no-session}"; python3 "$1" --system names;
         python3 "$1" --system call org.example.Sys Allowed; python3 "$1" --system call org.example.SysSecret Allowed' \
        sh "$CLIENT"
    assert_eq "unix:path=/run/dbus/system_bus_socket no-session
names: org.example.Sys org.freedesktop.DBus
call Allowed: Allowed
call Allowed: org.freedesktop.DBus.Error.ServiceUnknown" "$(last_stdout)"
    assert_status 0 hutch_bus --system-call 'org.example.Sys=org.example.Service.Allowed' -- \
        python3 "$CLIENT" --system call org.example.Sys Forbidden
    assert_eq "call Forbidden: org.freedesktop.DBus.Error.AccessDenied" "$(last_stdout)"
    assert_eq "org.example.Sys Allowed" "$(cat "$T/services.log")"
}

test_rules_and_their_origins_in_dry_run_and_show() {
    need_dbus
    start_session_bus || { assert_eq "bus" "not started" ""; return; }
    mkdir -p "$T/p" && chmod 0755 "$T/p"
    printf '[Profile]\ncommand=true\n[DBus]\ntalk=org.freedesktop.Notifications\nown=org.example.App.*\n' \
        >"$T/p/app.profile"
    chmod 0644 "$T/p/app.profile"
    assert_status 0 hutch_bus --profile "$T/p/app.profile" --dry-run \
        --call 'org.example.S=org.example.S.Get@/org/example/S'
    assert_contains "$(last_stdout)" "session bus: talk=org.freedesktop.Notifications ($T/p/app.profile:4)"
    assert_contains "$(last_stdout)" "session bus: own=org.example.App.* ($T/p/app.profile:5)"
    assert_contains "$(last_stdout)" "session bus: call=org.example.S=org.example.S.Get@/org/example/S (--call)"
    assert_contains "$(last_stdout)" "--filter --talk=org.freedesktop.Notifications --own=org.example.App.* --call=org.example.S=org.example.S.Get@/org/example/S"
    assert_contains "$(last_stdout)" "env        DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/"
    assert_status 0 as_user "$HUTCH" profile show "$T/p/app.profile"
    assert_match "own +org.example.App.\* +$T/p/app.profile:5" "$(last_stdout)"
    assert_match "system bus +none +\(no rule\)" "$(last_stdout)"
}

# As flatpak does: a bus this session lacks is left out, and the dry run
# says so.
test_a_session_without_a_bus_runs_the_app_without_one() {
    need_dbus
    assert_status 0 as_user env -u DBUS_SESSION_BUS_ADDRESS "$HUTCH" run \
        --talk org.freedesktop.Notifications -- sh -c 'echo "${DBUS_SESSION_BUS_ADDRESS:-none}"; ls -A "$XDG_RUNTIME_DIR"'
    assert_eq "none" "$(last_stdout)"
    assert_eq "" "$(last_stderr)"
    assert_status 0 as_user env -u DBUS_SESSION_BUS_ADDRESS "$HUTCH" run --dry-run \
        --talk org.freedesktop.Notifications -- true
    assert_contains "$(last_stdout)" "dbus: no session bus (DBUS_SESSION_BUS_ADDRESS is not set and"
    assert_contains "$(last_stdout)" "): the app gets none"
    assert_status 0 as_user env DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent "$HUTCH" run --dry-run \
        --system-talk org.freedesktop.login1 -- true
    assert_contains "$(last_stdout)" "dbus: no system bus (/nonexistent: No such file or directory): the app gets none"
}

# The proxy: in a sandbox of its own, gone with the sandbox -------------------

# start_sleeper NAME: a sandbox NAME with a session bus rule, running sleep;
# sets HUTCH_PID and PROXY_PID.
start_sleeper() {
    bg_as_user env DBUS_SESSION_BUS_ADDRESS="$SESSION_BUS" "$HUTCH" run --name "$1" \
        --talk org.freedesktop.Notifications -- sleep 30 2>"$T/hutch.err"
    HUTCH_PID=$LAST_PID
    wait_for proxy_pid "$HUTCH_PID" || return 1
    PROXY_PID=$(proxy_pid "$HUTCH_PID")
}

test_proxy_runs_in_a_sandbox_of_its_own() {
    need_dbus
    start_session_bus && start_sleeper dbusown-$$ ||
        { assert_eq "proxy" "not started" "$(cat "$T/hutch.err")"; return; }
    assert_ne "$(readlink /proc/self/ns/mnt)" "$(readlink "/proc/$PROXY_PID/ns/mnt")" "own mounts"
    assert_ne "$(readlink /proc/self/ns/net)" "$(readlink "/proc/$PROXY_PID/ns/net")" "no network"
    assert_ne "$(readlink /proc/self/ns/pid)" "$(readlink "/proc/$PROXY_PID/ns/pid")" "own pids"
    assert_contains "$(cat "/proc/$PROXY_PID/root/.flatpak-info")" "name=hutch.sandbox.sleep"
    assert_file_not_exists "/proc/$PROXY_PID/root/home" "no home"
    assert_match "^Seccomp:[[:space:]]+2" "$(grep Seccomp: "/proc/$PROXY_PID/status")"
    assert_match "^CapEff:[[:space:]]+0+$" "$(grep CapEff: "/proc/$PROXY_PID/status")"
}

test_proxy_is_gone_after_the_sandbox_ends() {
    need_dbus
    local name=dbusend-$$
    start_session_bus && start_sleeper "$name" ||
        { assert_eq "proxy" "not started" "$(cat "$T/hutch.err")"; return; }
    assert_status 0 as_user "$HUTCH" stop "$name"
    wait "$HUTCH_PID" 2>/dev/null
    assert_file_not_exists "/proc/$PROXY_PID" "proxy gone"
    assert_file_not_exists "$(user_runtime_dir "$TEST_USER")/hutch/$name" "runtime dir gone"
}

test_proxy_is_gone_after_kill_9_of_hutch() {
    need_dbus
    local name=dbuskill-$$
    start_session_bus && start_sleeper "$name" ||
        { assert_eq "proxy" "not started" "$(cat "$T/hutch.err")"; return; }
    assert_status 0 kill -KILL "$HUTCH_PID"
    wait "$HUTCH_PID" 2>/dev/null
    WAIT_FOR_SECONDS=2 wait_for test ! -e "/proc/$PROXY_PID"
    assert_file_not_exists "/proc/$PROXY_PID" "the proxy went with hutch"
    assert_match "dbus-proxy [0-9]+ [0-9]+" "$(cat "$(user_runtime_dir "$TEST_USER")/hutch/$name/cleanup")" \
        "recorded for the next hutch"
    assert_status 0 as_user "$HUTCH" ls
    assert_file_not_exists "$(user_runtime_dir "$TEST_USER")/hutch/$name" "the next hutch cleaned up"
}

# A proxy that outlived its killed hutch is killed by the next hutch
# command: here a process recorded as the proxy of a dead sandbox.
test_stale_proxy_is_killed_by_the_next_command() {
    need_dbus
    local name=dbusstale-$$ dir
    dir=$(user_runtime_dir "$TEST_USER")/hutch/$name
    bg_as_user sleep 30
    local stray=$LAST_PID start
    start=$(awk '{ sub(/.*\) /, ""); split($0, f, " "); print f[20] }' "/proc/$stray/stat")
    as_user mkdir -p "$dir"
    printf '[Sandbox]\nName=%s\nHutchPid=999999999\nHutchStart=1\n' "$name" | as_user tee "$dir/state" >/dev/null
    printf 'dbus-proxy %s %s\n' "$stray" "$start" | as_user tee "$dir/cleanup" >/dev/null
    assert_status 0 as_user "$HUTCH" ls
    WAIT_FOR_SECONDS=2 wait_for test ! -e "/proc/$stray/exe"
    assert_eq "" "$(ps -o stat= -p "$stray" | grep -v Z)" "the recorded process was killed"
    assert_file_not_exists "$dir"
}
