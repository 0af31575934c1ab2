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
