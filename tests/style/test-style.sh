# SPDX-License-Identifier: LGPL-2.1-or-later
# House style that the compiler does not check.

test_c_sources_are_clang_formatted() {
    need_cmd clang-format git
    local files
    mapfile -t files < <(git -C "$REPO" ls-files '*.c' '*.h')
    [ ${#files[@]} -gt 0 ] || { assert_ne 0 "${#files[@]}" "C sources found"; return; }
    assert_status 0 bash -c 'cd "$1" && shift && clang-format --dry-run --Werror "$@"' _ "$REPO" "${files[@]}"
}

# libhutch's folders depend one way (sandbox/meson.build): the include
# paths reject an upward #include at compile time; this rejects an upward
# use of a symbol and a pair of files that call each other.
test_libhutch_layers_point_one_way() {
    need_cmd nm python3
    local build=${HUTCH%/sandbox/hutch}
    [ -f "$build/sandbox/libhutch.a" ] || { assert_file_exists "$build/sandbox/libhutch.a"; return; }
    assert_status 0 python3 "$REPO/tests/style/layers.py" "$build" "$REPO/sandbox"
    assert_contains "$(last_stdout)" " 0 problems"
}
