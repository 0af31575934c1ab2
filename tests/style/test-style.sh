# House style that the compiler does not check.

test_c_sources_are_clang_formatted() {
    need_cmd clang-format git
    local files
    mapfile -t files < <(git -C "$REPO" ls-files '*.c' '*.h')
    [ ${#files[@]} -gt 0 ] || { assert_ne 0 "${#files[@]}" "C sources found"; return; }
    assert_status 0 bash -c 'cd "$1" && shift && clang-format --dry-run --Werror "$@"' _ "$REPO" "${files[@]}"
}
