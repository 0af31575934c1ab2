# SPDX-License-Identifier: LGPL-2.1-or-later
# /etc in the host root: the host's, read-only as a whole, less a mask list
# of secrets (rootfs/rootfs-etc.c); etc=minimal, the allowlist, by choice.
# A host that makes secrets readable is made in a mount namespace of the
# test's own: /etc under an overlay whose upper layer holds them.

RESOLVE_DIR=/run/hutch-test-resolve-$$

teardown() {
    rm -rf "$RESOLVE_DIR"
}

# fake_etc_user CMD...: CMD as the test user, in a mount namespace where
# /etc is the host's with $T/etc-up laid over it.
fake_etc_user() {
    local USER_ARGV
    user_argv "$TEST_USER" || return 1
    mkdir -p "$T/etc-work"
    unshare -m --propagation private sh -c \
        'mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1,workdir=$2" /etc && shift 2 && exec "$@"' \
        sh "$T/etc-up" "$T/etc-work" "${USER_ARGV[@]}" "$@"
}

# plant PATH TEXT: a world-readable file in the fake /etc's upper layer.
plant() {
    mkdir -p "$(dirname "$T/etc-up/$1")"
    printf '%s\n' "$2" >"$T/etc-up/$1"
    chmod 0644 "$T/etc-up/$1"
    chmod -R a+rX "$T/etc-up"
}

test_etc_is_the_hosts_read_only() {
    # What programs from /usr read beyond the old allowlist is there.
    local outside inside
    outside=$(as_user ls -A /etc | grep -vx -e shadow -e gshadow -e shadow- -e gshadow-)
    assert_status 0 hutch_run -- ls -A /etc
    inside=$(last_stdout | grep -vx -e shadow -e gshadow -e shadow- -e gshadow-)
    assert_eq "$outside" "$inside" "the same entries as the host's"
    assert_status 0 hutch_run -- cat /etc/login.defs
    assert_eq "$(cat /etc/login.defs)" "$(last_stdout)"
    assert_status 1 hutch_run -- touch /etc/hutch-probe
    assert_contains "$(last_stderr)" "Read-only file system"
    assert_status 0 hutch_run --dry-run -- true
    assert_contains "$(last_stdout)" "bind       /etc -> /etc ro  [host rootfs]"
    assert_match "note +etc: the host's /etc read-only, [0-9]+ entries masked" "$(last_stdout)"
}

test_etc_masks_secrets_a_host_made_readable() {
    need_root
    need_cmd unshare
    plant shadow "root:canary-hash-1:19000:0:99999:7:::"
    plant ssl/private/host.key "canary-key-2"
    plant NetworkManager/system-connections/home.nmconnection "psk=canary-psk-3"
    plant sudoers.d/canary "canary ALL=(ALL) NOPASSWD: ALL # canary-sudo-4"
    plant ssh/ssh_host_ed25519_key "canary-hostkey-5"
    plant cups/printers.conf "DeviceURI ipp://user:canary-print-6@printer/"
    plant cups/client.conf "ServerName print.example # kept-7"
    chmod 0755 "$T/etc-up/ssl/private"
    # The attack works on such a host, outside hutch.
    assert_status 0 fake_etc_user sh -c 'cat /etc/shadow /etc/ssl/private/host.key \
        /etc/NetworkManager/system-connections/home.nmconnection /etc/sudoers.d/canary \
        /etc/ssh/ssh_host_ed25519_key /etc/cups/printers.conf'
    local i
    for i in 1 2 3 4 5 6; do
        assert_match "canary-[a-z]+-$i" "$(last_stdout)" "readable outside ($i)"
    done
    assert_status 0 fake_etc_user "$HUTCH" run -- sh -c 'for f in /etc/shadow /etc/ssl/private/host.key \
        /etc/NetworkManager/system-connections/home.nmconnection /etc/sudoers.d/canary \
        /etc/ssh/ssh_host_ed25519_key /etc/cups/printers.conf /etc/cups/client.conf; do
            cat "$f" 2>&1; done; ls /etc/ssl/private 2>&1; cat /etc/ssh/ssh_config | head -c 1 | wc -c'
    assert_not_match "canary-[a-z]+-[1-6]" "$(last_stdout)" "masked in the sandbox"
    assert_contains "$(last_stdout)" "/etc/shadow: Permission denied"
    assert_contains "$(last_stdout)" "cannot open directory '/etc/ssl/private': Permission denied"
    assert_contains "$(last_stdout)" "kept-7" "cups/client.conf stays: apps print with it"
    assert_eq 1 "$(last_stdout | tail -n 1)" "ssh_config stays"
    # The allowlist shows ssl: its private keys are masked there too.
    assert_status 0 fake_etc_user "$HUTCH" run --etc minimal -- sh -c 'cat /etc/ssl/private/host.key 2>&1; true'
    assert_not_contains "$(last_stdout)" "canary-key-2"
}

test_resolv_conf_linked_into_run_is_followed() {
    need_root
    need_cmd unshare pasta
    mkdir -p "$RESOLVE_DIR" "$T/etc-up"
    echo "nameserver 10.9.9.9" >"$RESOLVE_DIR/stub-resolv.conf"
    chmod -R a+rX "$RESOLVE_DIR"
    ln -s "../$RESOLVE_DIR/stub-resolv.conf" "$T/etc-up/resolv.conf"
    assert_status 0 fake_etc_user "$HUTCH" run -- cat /etc/resolv.conf
    assert_eq "nameserver 10.9.9.9" "$(last_stdout)" "the host's file, where the link leads"
    assert_status 0 fake_etc_user "$HUTCH" run --dry-run -- true
    assert_contains "$(last_stdout)" "bind       $RESOLVE_DIR/stub-resolv.conf -> $RESOLVE_DIR/stub-resolv.conf ro"
    # --net user writes its own there: the link is not mounted on.
    assert_status 0 fake_etc_user "$HUTCH" run --net user -- sh -c 'readlink /etc/resolv.conf; cat /etc/resolv.conf'
    assert_contains "$(last_stdout)" "../$RESOLVE_DIR/stub-resolv.conf"
    assert_match "nameserver [0-9a-f.:]+" "$(last_stdout)"
    assert_status 0 fake_etc_user "$HUTCH" run --net user --dry-run -- true
    assert_match "bind +\\\$XDG_RUNTIME_DIR/hutch/[^ ]+/resolv.conf -> $RESOLVE_DIR/stub-resolv.conf ro" "$(last_stdout)"
}

test_etc_minimal_is_the_allowlist() {
    assert_status 0 hutch_run --etc minimal -- sh -c \
        'test -e /etc/passwd && test -e /etc/ld.so.cache && echo ok; test -e /etc/login.defs || echo no-login.defs'
    assert_eq "ok
no-login.defs" "$(last_stdout)"
    # A profile opts in with etc=minimal, and adds an entry with ro=.
    mkdir -p "$T/p"
    printf '[Filesystem]\netc=minimal\nro=/etc/login.defs\n' >"$T/p/small.profile"
    chmod -R a+rX "$T/p"
    assert_status 0 as_user "$HUTCH" profile show "$T/p/small.profile"
    assert_match "^etc +minimal +$T/p/small.profile:2" "$(last_stdout | grep '^etc ')"
    assert_status 0 hutch_run --profile "$T/p/small.profile" -- sh -c 'ls /etc | wc -l; test -e /etc/login.defs && echo login.defs'
    assert_match "^[0-9]+"$'\n'"login.defs$" "$(last_stdout)"
    assert_status 0 hutch_run --profile "$T/p/small.profile" --etc host -- test -e /etc/debconf.conf
    assert_status 2 hutch_run --etc all -- true
    assert_contains "$(last_stderr)" "--etc all: unknown mode (use host or minimal)"
}
