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

# Every tests/unit/unit-*.c is built by tests/unit/meson.build and run here:
# a program left out of either would never fail.
test_every_unit_program_is_built_and_run() {
    local src name
    for src in "$REPO"/tests/unit/unit-*.c; do
        name=$(basename "$src" .c)
        name=${name#unit-}
        # In the list, or (unit-panel, built only with libsoup) on its own.
        assert_match "'(unit-)?$name'" "$(cat "$REPO/tests/unit/meson.build")" "$name in meson.build"
        assert_match "^test_[a-z0-9_]+\(\) \{ run_unit $name [0-9]+; \}" \
            "$(grep "run_unit $name " "$REPO/tests/unit/test-unit.sh")" "$name run by test-unit.sh"
    done
}

test_profile_lines() { run_unit profile-lines 3; }
test_suggest() { run_unit suggest 2; }
test_json() { run_unit json 2; }
test_subid() { run_unit subid 6; }
test_names() { run_unit names 2; }
test_x11_display() { run_unit x11-display 2; }
test_tagstruct() { run_unit tagstruct 2; }
test_launcher() { run_unit launcher 2; }
test_net() { run_unit net 4; }
test_bus_rules() { run_unit bus-rules 4; }
test_dbus_address() { run_unit dbus-address 2; }
test_file_args() { run_unit file-args 3; }
test_pulse_filter() { run_unit pulse-filter 7; }
test_pulse_relay() { run_unit pulse-relay 2; }
test_escape() { run_unit escape 2; }
test_run_mounts() { run_unit run-mounts 1; }
test_paths() { run_unit paths 6; }
test_panel() { run_unit panel 3; }
