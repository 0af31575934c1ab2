# SPDX-License-Identifier: LGPL-2.1-or-later
# The shipped browser profiles, which use --net user, with their real
# programs where installed: a page from the made-up outside (net.sh).
# shellcheck source=tests/net/net.sh
. "$REPO/tests/net/net.sh"

# browse PROFILE CMD...: run the profile's program on the made-up host, with
# a fresh home under $T; its output is in last_stdout.
browse() {
    local profile=$1 USER_ARGV
    shift
    user_argv "$TEST_USER"
    mkdir -p "$T/home" && chmod 777 "$T/home"
    assert_status 0 timeout 50 ip netns exec "$NET_H" "${USER_ARGV[@]}" HOME="$T/home" \
        "$HUTCH" run --profile "$profile" --file-args keep -- "$@"
}

test_chromium_profile_browses_through_pasta() {
    need_cmd chromium
    need_x11
    need_pulse
    serve "$NET_O" tcp "$OUT4" 8080
    serve "$NET_H" tcp 127.0.0.1 8081
    browse chromium chromium --headless=new --no-first-run --disable-gpu \
        --dump-dom "http://$OUT4:8080/index.txt"
    assert_contains "$(last_stdout)" "hello from $NET_O" "chromium fetched the outside's page"
    browse chromium chromium --headless=new --no-first-run --disable-gpu \
        --dump-dom "http://127.0.0.1:8081/index.txt"
    assert_not_contains "$(last_stdout)" "hello from $NET_H" "but not the host's loopback"
}

test_firefox_profile_browses_through_pasta() {
    need_cmd firefox-esr
    need_x11
    need_pulse
    serve "$NET_O" tcp "$OUT4" 8080
    # The profile's home is private: the app's $HOME is the profile's own
    # home under the user's data folder (--file-args keep, above: the path
    # is the app's own, not a host file to pass in).
    browse firefox-esr firefox-esr --headless --screenshot "$T/home/shot.png" \
        "http://$OUT4:8080/index.txt"
    assert_file_exists "$T/home/.local/share/hutch/homes/firefox-esr/shot.png" \
        "firefox rendered a page"
    assert_contains "$(cat "$T/www-$NET_O.log" 2>/dev/null)" "/index.txt" \
        "firefox fetched the outside's page"
}
