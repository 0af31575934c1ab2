# SPDX-License-Identifier: LGPL-2.1-or-later
# --net user: the sandbox's own network namespace, out through pasta. Each
# test makes a host and an outside of its own (net.sh) and runs the test
# user's hutch on that host.
# shellcheck source=tests/net/net.sh
. "$REPO/tests/net/net.sh"

test_user_reaches_the_outside_over_ipv4_and_ipv6() {
    serve "$NET_O" tcp :: 8080
    assert_status 0 probe user -- get "http://$OUT4:8080/index.txt"
    assert_eq "hello from $NET_O" "$(last_stdout)" "IPv4"
    assert_status 0 probe user -- get "http://[$OUT6]:8080/index.txt"
    assert_eq "hello from $NET_O" "$(last_stdout)" "IPv6"
}

# A user without subordinate ids gets a single-id map; pasta joins it alike.
test_user_works_without_subordinate_ids() {
    local USER_ARGV
    serve "$NET_O" tcp "$OUT4" 8080
    user_argv "$NOSUB_USER"
    assert_status 0 ip netns exec "$NET_H" "${USER_ARGV[@]}" "$HUTCH" run --net user \
        --ro "$NET_DIR" -- python3 "$PROBE" get "http://$OUT4:8080/index.txt"
    assert_eq "hello from $NET_O" "$(last_stdout)"
}

test_user_sends_udp_and_ping() {
    serve "$NET_O" udp "$OUT4" 5353
    assert_status 0 probe user -- udp "$OUT4" 5353
    assert_eq hutch-udp "$(last_stdout)" "the outside echoed the datagram"
    assert_status 0 probe user -- ping "$OUT4"
    assert_eq reply "$(last_stdout)" "ICMP echo through pasta"
    assert_status 0 probe user -- ping "$OUT6"
    assert_eq reply "$(last_stdout)" "ICMPv6 echo through pasta"
}

test_user_resolves_through_pastas_forwarder() {
    resolver "$NET_O" "$OUT4"
    serve "$NET_O" tcp "$OUT4" 8080
    assert_status 0 net_hutch run --net user -- cat /etc/resolv.conf
    assert_contains "$(last_stdout)" "nameserver 169.254.1.1"
    assert_not_contains "$(last_stdout)" "$OUT4" "the host's resolver is not named inside"
    assert_status 0 probe user -- resolve "$OUT_NAME"
    assert_eq "$OUT4" "$(last_stdout)" "the outside's resolver answered"
    assert_status 0 probe user -- get "http://$OUT_NAME:8080/index.txt"
    assert_eq "hello from $NET_O" "$(last_stdout)"
}

# systemd-resolved and dnsmasq setups: the host's resolver is on its own
# loopback, which the sandbox cannot reach but pasta forwards DNS to.
test_user_resolves_with_a_resolver_on_the_host_loopback() {
    resolver "$NET_H" 127.0.0.53
    echo "nameserver 127.0.0.53" >"/etc/netns/$NET_H/resolv.conf"
    assert_status 0 probe user -- resolve "$OUT_NAME"
    assert_eq "$OUT4" "$(last_stdout)"
}

test_user_cannot_reach_the_host_loopback() {
    serve "$NET_H" tcp 127.0.0.1 8081
    serve "$NET_H" tcp ::1 8082
    # Positive control: the service is there, and --net host reaches it.
    assert_status 0 probe host -- get "http://127.0.0.1:8081/index.txt"
    assert_eq "hello from $NET_H" "$(last_stdout)" "--net host reaches the host's loopback"
    assert_status 1 probe user -- connect 127.0.0.1 8081
    assert_eq ECONNREFUSED "$(last_stdout)" "127.0.0.1 is the sandbox's own"
    assert_status 1 probe user -- connect ::1 8082
    assert_eq ECONNREFUSED "$(last_stdout)" "::1 is the sandbox's own"
    # pasta maps the gateway's address to the host's loopback unless told
    # not to: the outside has nothing on 8081, so nothing may answer.
    assert_status 1 probe user -- connect "$OUT4" 8081
    assert_ne ok "$(last_stdout)" "the gateway's address is not the host's loopback"
}

test_user_cannot_reach_the_hosts_own_addresses() {
    serve "$NET_H" tcp :: 8083
    local lladdr
    lladdr=$(in_host ip -6 -o addr show dev nh0 scope link | awk '{ sub("/.*", "", $4); print $4 }')
    # Positive control: --net host reaches the host's other addresses.
    assert_status 0 probe host -- connect "$EXTRA4" 8083
    assert_status 0 probe host -- connect "$EXTRA6" 8083
    assert_status 1 probe user -- connect "$EXTRA4" 8083
    assert_eq EACCES "$(last_stdout)" "the host's other IPv4 address is prohibited"
    assert_status 1 probe user -- connect "$EXTRA6" 8083
    assert_eq EACCES "$(last_stdout)" "the host's other IPv6 address is prohibited"
    assert_status 1 probe user -- connect "$lladdr%nh0" 8083
    assert_eq EACCES "$(last_stdout)" "the host's link-local address is prohibited"
    # The address pasta copies is the sandbox's own: nothing listens there.
    assert_status 1 probe user -- connect "$HOST4" 8083
    assert_eq ECONNREFUSED "$(last_stdout)" "the copied address is the sandbox's"
    assert_status 0 net_hutch run --net user -- ip rule
    assert_contains "$(last_stdout)" "to $EXTRA4 prohibit"
}

test_user_cannot_reach_abstract_sockets_of_the_host() {
    local name=hutch-net-$$
    ip netns exec "$NET_H" python3 "$PROBE" abstract-server "$name" &
    NET_PIDS+=($!)
    wait_for in_host python3 "$PROBE" abstract "$name"
    # Positive control: in the host's network namespace it is listed and open.
    assert_status 0 probe host -- listed "$name"
    assert_eq yes "$(last_stdout)" "--net host lists it"
    assert_status 0 probe host -- abstract "$name"
    local mode
    for mode in user none; do
        assert_status 0 probe "$mode" -- listed "$name"
        assert_eq no "$(last_stdout)" "--net $mode does not list it"
        assert_status 1 probe "$mode" -- abstract "$name"
        assert_eq ECONNREFUSED "$(last_stdout)" "--net $mode cannot connect"
    done
}

test_host_port_opens_one_host_loopback_port() {
    serve "$NET_H" tcp 127.0.0.1 8081
    serve "$NET_H" tcp 127.0.0.1 8082
    assert_status 0 probe user --host-port 8081 -- get "http://127.0.0.1:8081/index.txt"
    assert_eq "hello from $NET_H" "$(last_stdout)" "the named port reaches the host's"
    assert_status 1 probe user --host-port 8081 -- connect 127.0.0.1 8082
    assert_eq ECONNREFUSED "$(last_stdout)" "another port does not"
    # The same from a profile's [Network] key.
    printf '[Network]\nmode=user\nhost-port=8082\n' >"$T/p.profile"
    chmod 644 "$T/p.profile"
    assert_status 0 probe user --profile "$T/p.profile" -- get "http://127.0.0.1:8082/index.txt"
    assert_eq "hello from $NET_H" "$(last_stdout)" "host-port= in a profile"
    assert_status 0 net_hutch profile show "$T/p.profile"
    assert_match "^host-port +8082/tcp +$T/p.profile:3$" "$(last_stdout | grep '^host-port')"
}

test_publish_forwards_a_host_port_into_the_sandbox() {
    local name=net$$
    mkdir -p "$T/www" && echo "served by the sandbox" >"$T/www/index.txt" && chmod -R a+rX "$T/www"
    assert_status 0 net_hutch run --detach --name "$name" --net user --publish 18080 \
        --publish 18081/udp --ro "$NET_DIR" --ro "$T/www" -- sh -c \
        "python3 $PROBE http-server 0.0.0.0 18080 $T/www & python3 $PROBE http-server 0.0.0.0 18090 $T/www & python3 $PROBE udp-echo 0.0.0.0 18081 & wait"
    WAIT_FOR_SECONDS=10 wait_for in_out python3 "$PROBE" get "http://$HOST4:18080/index.txt"
    assert_status 0 in_out python3 "$PROBE" get "http://$HOST4:18080/index.txt"
    assert_eq "served by the sandbox" "$(last_stdout)" "a client outside reaches the published port"
    assert_status 0 in_out python3 "$PROBE" udp "$HOST4" 18081
    assert_eq hutch-udp "$(last_stdout)" "and the published UDP port"
    assert_status 1 in_out python3 "$PROBE" connect "$HOST4" 18090
    assert_eq ECONNREFUSED "$(last_stdout)" "a port not published stays closed"
    net_hutch stop "$name" >/dev/null 2>&1
}

test_none_has_no_route_and_host_is_unchanged() {
    serve "$NET_O" tcp "$OUT4" 8080
    assert_status 1 probe none -- connect "$OUT4" 8080
    assert_eq ENETUNREACH "$(last_stdout)" "--net none: no route"
    assert_status 0 net_hutch run --net none -- cat /proc/net/dev
    assert_eq 1 "$(last_stdout | tail -n +3 | wc -l)" "--net none: loopback only"
    assert_status 0 probe host -- get "http://$OUT4:8080/index.txt"
    assert_eq "hello from $NET_O" "$(last_stdout)" "--net host reaches the outside"
    assert_status 0 net_hutch run --net host -- cat /proc/net/dev
    assert_contains "$(last_stdout)" "nh0:" "--net host sees the host's interfaces"
}
