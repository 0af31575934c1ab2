# SPDX-License-Identifier: LGPL-2.1-or-later
# The C unit tests (tests/unit/unit-*.c), one test here per program: each
# must exist in the build and pass every one of its cases.

unit_bin() { printf '%s/tests/unit/unit-%s\n' "${HUTCH%/sandbox/hutch}" "$1"; }

run_unit() {
    local bin
    bin=$(unit_bin "$1")
    [ -x "$bin" ] || { assert_file_exists "$bin" "unit test built"; return; }
    assert_status 0 "$bin" --tap
    assert_contains "$(last_stdout)" "1..$2" "all $2 cases ran"
    assert_not_contains "$(last_stdout)" "not ok"
}

test_profile_lines() { run_unit profile-lines 3; }
test_suggest() { run_unit suggest 2; }
test_json() { run_unit json 2; }
test_subid() { run_unit subid 6; }
test_names() { run_unit names 2; }
test_x11_display() { run_unit x11-display 2; }
test_tagstruct() { run_unit tagstruct 2; }
