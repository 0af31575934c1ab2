# SPDX-License-Identifier: LGPL-2.1-or-later
# The environment: host secrets removed, settings applied.

test_host_secrets_are_removed() {
    assert_status 0 as_user env SSH_AUTH_SOCK=/tmp/agent DBUS_SESSION_BUS_ADDRESS=unix:path=/x \
        GPG_AGENT_INFO=x LD_PRELOAD=/evil.so LD_LIBRARY_PATH=/evil LD_AUDIT=/evil.so KEEPME=yes \
        "$HUTCH" run -- env
    local out
    out=$(last_stdout)
    local key
    for key in SSH_AUTH_SOCK DBUS_SESSION_BUS_ADDRESS GPG_AGENT_INFO LD_PRELOAD LD_LIBRARY_PATH LD_AUDIT; do
        assert_not_contains "$out" "$key=" "$key must be scrubbed"
    done
    assert_contains "$out" "KEEPME=yes"
}

test_env_set_unset_and_keep() {
    assert_status 0 as_user env FOO=host BAR=gone SSH_AUTH_SOCK=/tmp/agent "$HUTCH" run \
        --env FOO=sandbox --unset-env BAR --keep-env SSH_AUTH_SOCK -- env
    assert_contains "$(last_stdout)" "FOO=sandbox"
    assert_not_contains "$(last_stdout)" "BAR="
    assert_contains "$(last_stdout)" "SSH_AUTH_SOCK=/tmp/agent"
}

test_home_and_runtime_variables() {
    assert_status 0 hutch_run -- sh -c 'echo "$HOME $XDG_RUNTIME_DIR $container"'
    assert_eq "$(as_user sh -c 'echo $HOME') /run/user/$(as_user id -u) hutch" "$(last_stdout)"
}

test_xdg_base_dirs_the_sandbox_lacks_are_unset() {
    local home
    home=$(as_user sh -c 'echo $HOME')
    mkdir -p "$T/granted" && chmod 0777 "$T/granted"
    # outside the home and not granted: unset; in the home, granted, or on
    # the read-only root: kept; --env wins over all of it
    assert_status 0 as_user env XDG_CONFIG_HOME=/srv/hutch-no-such-dir \
        XDG_DATA_HOME="$home/.local/alt-share" XDG_CACHE_HOME="$T/granted" \
        XDG_STATE_HOME=/usr/share "$HUTCH" run --rw "$T/granted" -- \
        sh -c 'echo "${XDG_CONFIG_HOME-unset} $XDG_DATA_HOME $XDG_CACHE_HOME $XDG_STATE_HOME"'
    assert_eq "unset $home/.local/alt-share $T/granted /usr/share" "$(last_stdout)"
    assert_status 0 as_user env XDG_CONFIG_HOME=/srv/hutch-no-such-dir "$HUTCH" run \
        --env XDG_CONFIG_HOME=/srv/explicit -- sh -c 'echo "$XDG_CONFIG_HOME"'
    assert_eq "/srv/explicit" "$(last_stdout)"
    assert_status 0 as_user env XDG_CONFIG_HOME=/srv/hutch-no-such-dir "$HUTCH" run --dry-run -- true
    assert_contains "$(last_stdout)" \
        "env: XDG_CONFIG_HOME unset: /srv/hutch-no-such-dir is not in the sandbox (the app uses its home)"
}

test_hostname_option() {
    assert_status 0 hutch_run --hostname sandboxed -- hostname
    assert_eq sandboxed "$(last_stdout)"
    assert_status 0 hutch_run -- hostname
    assert_eq "$(hostname)" "$(last_stdout)"
}

test_network_none_has_only_loopback_up() {
    need_cmd ip
    assert_status 0 hutch_run -- sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "'
    assert_eq lo "$(last_stdout)"
    assert_status 0 hutch_run -- ip -o link show lo
    assert_match '^1: lo: <LOOPBACK,UP,LOWER_UP>' "$(last_stdout)" "lo is up"
    local ifaces
    ifaces=$(tail -n +3 /proc/net/dev | wc -l)
    assert_status 0 hutch_run --net host -- sh -c 'tail -n +3 /proc/net/dev | wc -l'
    assert_eq "$ifaces" "$(last_stdout)"
}

test_loopback_works_inside() {
    need_cmd python3
    assert_status 0 hutch_run -- python3 -c '
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
c = socket.create_connection(s.getsockname()); a, _ = s.accept()
c.send(b"ping"); print(a.recv(4).decode())'
    assert_eq ping "$(last_stdout)"
}

test_host_loopback_service_unreachable_with_net_none() {
    need_cmd python3
    as_user python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 47123)); s.listen(1); time.sleep(5)' &
    local srv=$!
    sleep 0.3
    assert_status 0 hutch_run -- python3 -c '
import socket
try:
    socket.create_connection(("127.0.0.1", 47123), timeout=1); print("reached")
except OSError as e: print("refused", e.errno)'
    assert_contains "$(last_stdout)" "refused"
    assert_status 0 hutch_run --net host -- python3 -c '
import socket
socket.create_connection(("127.0.0.1", 47123), timeout=1); print("reached")'
    assert_eq reached "$(last_stdout)"
    reap "$srv"
}
