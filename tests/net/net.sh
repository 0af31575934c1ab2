# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Helpers of the net suite (sourced by its test files): a made-up host and
# outside, so tests send traffic only to namespaces they made themselves.
#
#   $NET_H  "the host": the test user's hutch runs here (ip netns exec), with
#           $HOST4/$HOST6 on its veth end, a default route to the outside,
#           an extra address $EXTRA4/$EXTRA6 of its own on lo, and a
#           resolv.conf (/etc/netns/$NET_H/) naming the outside's resolver;
#   $NET_O  "the outside": $OUT4/$OUT6, the gateway, where the servers the
#           sandbox may reach run.
# Every server a test starts is killed, and both namespaces deleted, by
# teardown.

NET_DIR=$REPO/tests/net
PROBE=$NET_DIR/netprobe.py
NET_H=hutch-nh-$$
NET_O=hutch-no-$$
HOST4=10.231.0.1
OUT4=10.231.0.2
EXTRA4=10.232.0.1
HOST6=fd23:1::1
OUT6=fd23:1::2
EXTRA6=fd23:2::1
OUT_NAME=outside.hutch.test
NET_PIDS=()

in_host() { ip netns exec "$NET_H" "$@"; }
in_out() { ip netns exec "$NET_O" "$@"; }

net_setup() {
    need_root
    need_cmd ip python3
    ip netns add "$NET_H" && ip netns add "$NET_O" || return 1
    ip link add nh0 netns "$NET_H" type veth peer name no0 netns "$NET_O" || return 1
    in_host ip addr add "$HOST4/24" dev nh0
    in_host ip addr add "$HOST6/64" dev nh0 nodad
    in_host ip addr add "$EXTRA4/32" dev lo
    in_host ip addr add "$EXTRA6/128" dev lo
    in_out ip addr add "$OUT4/24" dev no0
    in_out ip addr add "$OUT6/64" dev no0 nodad
    in_host ip link set lo up && in_host ip link set nh0 up
    in_out ip link set lo up && in_out ip link set no0 up
    in_host ip route add default via "$OUT4"
    in_host ip -6 route add default via "$OUT6"
    # pasta answers the sandbox's pings through the host's ping sockets.
    in_host sysctl -qw net.ipv4.ping_group_range="0 2147483647"
    mkdir -p "/etc/netns/$NET_H"
    echo "nameserver $OUT4" >"/etc/netns/$NET_H/resolv.conf"
}

net_teardown() {
    local pid
    for pid in "${NET_PIDS[@]}"; do
        kill "$pid" 2>/dev/null
    done
    for pid in "${NET_PIDS[@]}"; do
        wait "$pid" 2>/dev/null
    done
    ip netns del "$NET_H" 2>/dev/null
    ip netns del "$NET_O" 2>/dev/null
    rm -rf "/etc/netns/$NET_H"
}

setup() { net_setup; }
teardown() { net_teardown; }

# listening NS tcp|udp PORT: something is bound to PORT in namespace NS.
listening() {
    local flag=-Hltn
    [ "$2" = udp ] && flag=-Hlun
    [ -n "$(ip netns exec "$1" ss "$flag" "sport = :$3")" ]
}

# serve NS PROTO ADDR PORT [SERVER ARGS...]: start a netprobe server as root
# in namespace NS (PROTO tcp: HTTP of $T/www-NS, whose index.txt says
# "hello from NS"; udp: echo) and wait for it.
serve() {
    local ns=$1 proto=$2 addr=$3 port=$4
    mkdir -p "$T/www-$ns" && echo "hello from $ns" >"$T/www-$ns/index.txt"
    if [ "$proto" = udp ]; then
        ip netns exec "$ns" python3 "$PROBE" udp-echo "$addr" "$port" &
    else
        ip netns exec "$ns" python3 "$PROBE" http-server "$addr" "$port" "$T/www-$ns" &
    fi
    NET_PIDS+=($!)
    wait_for listening "$ns" "$proto" "$port"
}

# resolver NS ADDR: a dnsmasq in NS on ADDR:53 that knows $OUT_NAME.
resolver() {
    need_cmd dnsmasq
    ip netns exec "$1" dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
        --bind-interfaces --listen-address="$2" --port=53 --user=root --pid-file= \
        --log-facility=/dev/null --address="/$OUT_NAME/$OUT4" &
    NET_PIDS+=($!)
    wait_for listening "$1" udp 53
}

# net_hutch ARGS...: `hutch ARGS` as the test user, on the made-up host.
net_hutch() {
    local USER_ARGV
    user_argv "$TEST_USER" || return 1
    ip netns exec "$NET_H" "${USER_ARGV[@]}" "$HUTCH" "$@"
}

# probe MODE [RUN-OPTIONS...] -- PROBE-ARGS...: netprobe.py in a sandbox with
# --net MODE; its output is then in last_stdout.
probe() {
    local mode=$1 opts=()
    shift
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        opts+=("$1")
        shift
    done
    shift
    net_hutch run --net "$mode" --ro "$NET_DIR" "${opts[@]}" -- python3 "$PROBE" "$@"
}

# user_pastas: pasta processes of the test user that are still alive.
user_pastas() {
    ps -u "$TEST_USER" -o pid=,stat=,comm= | awk '$2 !~ /^Z/ && $3 ~ /^(pasta|passt)/ { print $1 }'
}
