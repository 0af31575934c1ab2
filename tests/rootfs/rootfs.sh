# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Helpers shared by the rootfs suite (sourced by its test files).

# The Debian image the image tests run. It is built once with debootstrap,
# then kept as a tarball in the build directory: later runs import it with
# `hutch create --from-tar` (seconds, not minutes) and destroy it at the end.
IMAGE=hutch-test-debian
IMAGE_CACHE=$(dirname "$(dirname "$HUTCH")")/test-images
CACHE_TAR=$IMAGE_CACHE/debian-bookworm-x11-apps.tar

# test_home: the home of the user the tests run hutch as.
test_home() {
    if is_root; then user_home "$TEST_USER"; else echo "$HOME"; fi
}

store_dir() { echo "$(test_home)/.local/share/hutch"; }

image_listed() {  # NAME
    as_user "$HUTCH" images | awk 'NR > 1 { print $1 }' | grep -qx "$1"
}

# ensure_debian_image: $IMAGE in the test user's store, from the cache or
# from debootstrap (which needs the package archive).
ensure_debian_image() {
    image_listed "$IMAGE" && return 0
    if [ -f "$CACHE_TAR" ]; then
        assert_status 0 as_user "$HUTCH" create "$IMAGE" --from-tar "$CACHE_TAR" || return 1
        return 0
    fi
    need_cmd debootstrap
    assert_status 0 as_user "$HUTCH" create "$IMAGE" --template debian --release bookworm \
        --include x11-apps || return 1
    save_image_cache
}

# id_map SUBID_START OWN_ID: tar --owner-map lines taking the store's ids
# (the test user's subordinate ids, laid out as hutch maps them: inside
# 0.. -> START.., the user's own id -> itself) back to the image's own.
id_map() {
    awk -v s="$1" -v own="$2" '{
        if ($1 == own) next
        else if ($1 >= s && $1 < s + own) print "+" $1, "+" ($1 - s)
        else if ($1 >= s + own) print "+" $1, "+" ($1 - s + 1)
    }'
}

save_image_cache() {
    is_root || return 0
    local root tmp
    root=$(store_dir)/images/$IMAGE/rootfs
    tmp=$CACHE_TAR.$$
    mkdir -p "$IMAGE_CACHE"
    find "$root" -xdev -printf '%U\n' | sort -un |
        id_map "$TEST_SUBID_START" "$(user_uid "$TEST_USER")" >"$T/uid-map"
    find "$root" -xdev -printf '%G\n' | sort -un |
        id_map "$TEST_SUBID_START" "$(user_gid "$TEST_USER")" >"$T/gid-map"
    if tar --numeric-owner --owner-map="$T/uid-map" --group-map="$T/gid-map" \
        -C "$root" -cf "$tmp" .; then
        chmod 0644 "$tmp"
        mv "$tmp" "$CACHE_TAR"
    else
        rm -f "$tmp"
    fi
}

# make_tiny_rootfs DIR OWNER: a root filesystem with dash, sleep and their
# libraries, owned by root but for /data, which belongs to OWNER (uid:gid).
make_tiny_rootfs() {
    local dir=$1 owner=$2 f
    mkdir -p "$dir"/usr/bin "$dir"/usr/lib "$dir"/usr/lib64 "$dir"/etc "$dir"/data \
        "$dir"/var/tmp
    cp /bin/dash "$dir/usr/bin/sh"
    cp /bin/sleep "$dir/usr/bin/sleep"
    for f in $(ldd /bin/dash /bin/sleep | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }' |
        sort -u); do
        mkdir -p "$dir/usr$(dirname "${f#/usr}")"
        cp "$f" "$dir/usr${f#/usr}"
    done
    ln -s usr/bin "$dir/bin"
    ln -s usr/lib "$dir/lib"
    ln -s usr/lib64 "$dir/lib64"
    printf 'root:x:0:0:root:/root:/bin/sh\n' >"$dir/etc/passwd"
    printf 'root:x:0:\nstaff:x:50:\n' >"$dir/etc/group"
    printf 'ID=hutchtiny\nPRETTY_NAME="hutch tiny test root"\n' >"$dir/etc/os-release"
    chown -hR 0:0 "$dir"
    chown 0:50 "$dir/etc/group"
    chown "$owner" "$dir/data"
}

# fuse_usable: can the test user run fuse-overlayfs?
fuse_usable() {
    command -v fuse-overlayfs >/dev/null && as_user test -r /dev/fuse -a -w /dev/fuse
}

# grant_fuse: as root, give /dev/fuse Debian's usual mode 0666 for this test
# where the machine has it 0600 (no udev); teardown_fuse puts it back.
grant_fuse() {
    fuse_usable && return 0
    is_root && [ -c /dev/fuse ] && command -v fuse-overlayfs >/dev/null ||
        skip "fuse-overlayfs or /dev/fuse unusable by $TEST_USER"
    FUSE_MODE=$(stat -c %a /dev/fuse)
    chmod 0666 /dev/fuse
}

teardown_fuse() {
    if [ -n "${FUSE_MODE:-}" ]; then
        chmod "$FUSE_MODE" /dev/fuse
        FUSE_MODE=
    fi
}

# Image operations are slower than a sandbox start: wait longer.
WAIT_FOR_SECONDS=20
