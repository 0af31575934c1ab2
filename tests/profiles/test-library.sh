# SPDX-License-Identifier: LGPL-2.1-or-later
# The shipped profiles: all valid, each granting the least its app needs.
# Each profile's real program doing its job through `hutch run APP`:
# tests/apps. steam (not in Debian main) is checked by `hutch profile
# check` and `hutch run --dry-run` only.
# shellcheck source=tests/profiles/helpers.sh
. "$REPO/tests/profiles/helpers.sh"

SHIPPED="default shell xterm firefox-esr chromium thunderbird mpv vlc evince mousepad
libreoffice gimp neverball steam wine gdb eog ristretto feh zathura geany featherpad
inkscape transmission-gtk hexchat keepassxc pidgin qbittorrent minetest openttd
qpdfview viewnior geeqie dillo audacious gedit abiword xournalpp claws-mail galculator
lbreakout2"

test_check_passes_on_every_shipped_file() {
    assert_status 0 hp profile check --all
    assert_eq "" "$(last_stderr)"
    local n
    n=$(ls "$REPO"/profiles/*.profile "$REPO"/profiles/*.inc | wc -l)
    assert_eq "$n" "$(last_stdout | grep -c ': ok$')"
}

test_library_has_the_promised_profiles() {
    local name
    for name in $SHIPPED; do
        assert_file_exists "$REPO/profiles/$name.profile"
    done
    assert_match "^([4-9][0-9])$" "$(ls "$REPO"/profiles/*.profile | wc -l)" "at least 40 profiles"
}

test_every_profile_has_a_description_and_a_command() {
    local name
    for name in $SHIPPED; do
        [ "$name" = default ] && continue
        assert_status 0 hp profile show "$name"
        assert_match "^description .+ $REPO/profiles/$name.profile:[0-9]+$" "$(show_row description)" "$name"
        assert_match "^command .+ $REPO/profiles/$name.profile:[0-9]+$" "$(show_row command)" "$name"
    done
}

test_every_profile_plans_on_this_host() {
    need_x11
    need_cmd xpra Xvfb  # x11=nested profiles
    need_pulse
    local name
    for name in $SHIPPED; do
        if [ "$name" = default ]; then  # default has no command of its own
            assert_status 0 hp run --profile "$name" --dry-run -- true || continue
        else
            assert_status 0 hp run --profile "$name" --dry-run || continue
        fi
        assert_match "note +profile: $name " "$(last_stdout)" "$name"
    done
}

# least privilege: what each grants, from `profile show`.
grants() {  # NAME: the granted permissions, space-separated, in table order
    hp profile show "$1" | tr -s ' ' | awk '$1 == "allow" { printf "%s ", $2 }' | sed 's/ $//'
}
setting() {  # NAME SETTING
    hp profile show "$1" | tr -s ' ' | awk -v s="$2" '$1 == s { print $2; exit }'
}

test_least_privilege_of_each_profile() {
    assert_eq "" "$(grants default)"
    assert_eq "" "$(grants shell)"
    assert_eq "x11 clipboard" "$(grants xterm)"
    # The display the session has; X11 besides it only for apps that cannot
    # draw on Wayland (VLC's video, GTK 2, Wine, Steam). Apps that read
    # content from anyone and need no GPU get an X server of their own
    # there (x11=nested), and the clipboard with it.
    assert_eq "display clipboard" "$(grants evince)"
    assert_eq "display clipboard" "$(grants mousepad)"
    assert_eq "display audio gpu" "$(grants mpv)"
    assert_eq "display audio gpu nested-sandbox" "$(grants firefox-esr)"
    assert_eq "display audio gpu input" "$(grants neverball)"
    assert_eq "display x11 audio gpu" "$(grants vlc)"
    assert_eq "display x11" "$(grants gimp)"
    assert_eq "display x11 audio gpu multiarch" "$(grants wine)"
    assert_eq "devel" "$(grants gdb)"
    for name in eog ristretto geany featherpad inkscape transmission-gtk hexchat \
        keepassxc qbittorrent geeqie; do
        assert_eq "display" "$(grants "$name")" "$name"
    done
    assert_eq "display clipboard" "$(grants zathura)" "zathura: documents.inc, nested on X11"
    assert_eq "display x11" "$(grants feh)" "feh draws with Xlib only"
    assert_eq "display x11" "$(grants pidgin)" "pidgin is GTK 2"
    assert_eq "display audio gpu input" "$(grants minetest)"
    assert_eq "display audio gpu input" "$(grants openttd)"
    for name in qpdfview gedit abiword xournalpp claws-mail galculator; do
        assert_eq "display clipboard" "$(grants "$name")" "$name"
    done
    assert_eq "display x11" "$(grants viewnior)" "viewnior is GTK 2"
    assert_eq "display x11" "$(grants dillo)" "dillo is FLTK: X11 only"
    assert_eq "display audio gpu" "$(grants audacious)"
    assert_eq "display x11 audio" "$(grants lbreakout2)" "lbreakout2: SDL 1.2, no GL, no controller"
    local name
    for name in default shell xterm evince mousepad mpv vlc neverball wine gdb libreoffice gimp \
        eog ristretto feh zathura geany featherpad inkscape keepassxc minetest openttd \
        qpdfview viewnior geeqie audacious gedit abiword xournalpp galculator lbreakout2; do
        assert_eq none "$(setting "$name" network)" "$name has no network"
    done
    for name in firefox-esr chromium thunderbird steam transmission-gtk hexchat pidgin qbittorrent \
        dillo claws-mail; do
        assert_eq user "$(setting "$name" network)" "$name: user-mode network, not the host's"
    done
    for name in default evince mousepad mpv vlc eog ristretto feh zathura featherpad \
        qpdfview viewnior geeqie audacious gedit galculator; do
        assert_eq none "$(setting "$name" home)" "$name sees no home"
    done
    # The X11 mode of each (hutch(1), DESKTOP PASSTHROUGHS): nested for apps
    # that need no GPU and open what anyone sent, trusted for games (GLX).
    for name in xterm evince mousepad libreoffice thunderbird qpdfview gedit abiword xournalpp \
        claws-mail galculator; do
        assert_eq nested "$(setting "$name" x11)" "$name's x11 mode"
    done
    # lbreakout2: a game that draws in software, no GLX.
    for name in mpv vlc firefox-esr chromium gimp viewnior geeqie dillo audacious lbreakout2; do
        assert_eq untrusted "$(setting "$name" x11)" "$name's x11 mode"
    done
    for name in neverball steam wine; do
        assert_eq trusted "$(setting "$name" x11)" "$name's x11 mode"
    done
    for name in shell xterm gdb; do
        assert_eq ro "$(setting "$name" home)" "$name"
        assert_eq "~/.ssh" "$(hp profile show "$name" | tr -s ' ' | awk '$1 == "hide" { print $2; exit }')"
    done
}

# run_shipped NAME [OPTIONS] -- CMD...: hutch run with the shipped profile
# NAME, from /, with HOME=$T/home.
run_shipped() {
    local name=$1
    shift
    (cd / && hph run --profile "$name" "$@")
}

test_default_runs_a_command() {
    assert_status 0 run_shipped default -- sh -c 'echo "$HUTCH_SANDBOX"; ls -A "$HOME" | wc -l'
    assert_match "^default(-[0-9]+)?\|0$" "$(last_stdout | paste -sd '|')"
}

test_shell_reads_home_but_changes_nothing() {
    mkdir -p "$T/home/.ssh"
    echo mine >"$T/home/notes"
    echo key >"$T/home/.ssh/id_ed25519"
    chmod -R a+rwX "$T/home"
    # shellcheck disable=SC2016
    assert_status 0 run_shipped shell -- bash -c 'cat ~/notes; cat ~/.ssh/id_ed25519 2>&1 | grep -c denied; touch ~/new 2>&1 | grep -c Read-only'
    assert_eq "mine|1|1" "$(last_stdout | paste -sd '|')"
}

# Histories hold what was typed, passwords included (finding 7 of issue 13).
test_shell_hides_histories() {
    mkdir -p "$T/home/.local/share/fish"
    echo typed-password >"$T/home/.bash_history"
    echo typed-password >"$T/home/.python_history"
    echo typed-password >"$T/home/.local/share/fish/fish_history"
    echo mine >"$T/home/notes"
    chmod -R a+rwX "$T/home"
    # shellcheck disable=SC2016
    assert_status 0 run_shipped shell -- bash -c 'cat ~/notes; for f in ~/.bash_history ~/.python_history ~/.local/share/fish/fish_history; do cat "$f" 2>&1; done; true'
    assert_contains "$(last_stdout)" "mine" "the control: the home is readable"
    assert_not_contains "$(last_stdout)" "typed-password"
}

# Every shipped profile hides the secrets and histories (secrets.inc and
# history.inc): where its home shows them, and against symlinks in grants.
test_every_profile_hides_secrets_and_histories() {
    local name out
    for name in $SHIPPED; do
        out=$(hp profile show "$name" | tr -s ' ')
        assert_contains "$out" "hide ~/.ssh " "$name hides ~/.ssh"
        assert_contains "$out" "hide ~/.gnupg " "$name hides ~/.gnupg"
        assert_contains "$out" "hide ~/.bash_history " "$name hides ~/.bash_history"
    done
}

test_xterm_launches() {
    need_cmd xterm
    need_cmd xpra Xvfb
    need_x11
    chmod 0777 "$T"
    assert_status 0 run_shipped xterm -- xterm -version
    assert_match "^XTerm\([0-9]+\)" "$(last_stdout)"
    # a real window, on its own X server (x11=nested)
    assert_status 0 run_shipped xterm --rw "$T" -- timeout 20 xterm -e sh -c 'echo opened >"$0"' "$T/out"
    assert_eq "opened" "$(cat "$T/out" 2>/dev/null)"
}

test_mpv_plays_music_from_xdg_music() {
    need_cmd mpv sox
    need_x11
    need_pulse
    mkdir -p "$T/home/Music"
    sox -n -r 8000 -c 1 "$T/home/Music/tone.wav" synth 0.3 sine 440 2>/dev/null
    chmod -R a+rwX "$T/home"
    # shellcheck disable=SC2016  # ${=duration} is mpv's
    assert_status 0 run_shipped mpv -- mpv --no-config --ao=null --vo=null \
        --msg-level=all=no,term-msg=info --term-playing-msg='played ${=duration}' \
        "$T/home/Music/tone.wav"
    assert_eq "played 0.300000" "$(last_stdout)"
}

test_mpv_version() {
    need_cmd mpv
    need_x11
    need_pulse
    assert_status 0 run_shipped mpv -- mpv --version
    assert_match "^mpv [0-9]" "$(last_stdout)"
}

# A one-page PDF, written by hand.
write_pdf() {
    local objs=(
        "<< /Type /Catalog /Pages 2 0 R >>"
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"
    )
    local i offsets=() out="%PDF-1.4"$'\n'
    for i in "${!objs[@]}"; do
        offsets+=("${#out}")
        out+="$((i + 1)) 0 obj ${objs[$i]} endobj"$'\n'
    done
    local xref=${#out}
    out+="xref"$'\n'"0 4"$'\n'"0000000000 65535 f "$'\n'
    for i in "${offsets[@]}"; do
        out+=$(printf '%010d 00000 n ' "$i")$'\n'
    done
    out+="trailer << /Size 4 /Root 1 0 R >>"$'\n'"startxref"$'\n'"$xref"$'\n'"%%EOF"$'\n'
    printf '%s' "$out" >"$1"
}

test_evince_renders_a_document_from_xdg_documents() {
    need_cmd evince evince-thumbnailer
    need_cmd xpra Xvfb
    need_x11
    mkdir -p "$T/home/Documents" "$T/out"
    write_pdf "$T/home/Documents/page.pdf"
    chmod -R a+rwX "$T/home" "$T/out"
    assert_status 0 run_shipped evince --rw "$T/out" -- evince-thumbnailer -s 64 \
        "$T/home/Documents/page.pdf" "$T/out/page.png"
    assert_match "PNG image data, 64 x 64" "$(file "$T/out/page.png")"
}

test_evince_version() {
    need_cmd evince
    need_cmd xpra Xvfb
    need_x11
    assert_status 0 run_shipped evince -- evince --version
    assert_match "^GNOME Document Viewer [0-9]" "$(last_stdout)"
}

test_mousepad_launches() {
    need_cmd mousepad
    need_cmd xpra Xvfb
    need_x11
    assert_status 0 run_shipped mousepad -- mousepad --version
    assert_match "^Mousepad [0-9]" "$(last_stdout)"
}

test_neverball_launches_with_a_private_home() {
    need_x11
    need_pulse
    [ -x /usr/games/neverball ] || skip "needs neverball (./dev deps installs it)"
    assert_status 0 run_shipped neverball --dry-run -- /usr/games/neverball --version
    assert_match "^note +private home: $T/data/hutch/homes/neverball" \
        "$(last_stdout | grep 'private home')"
    assert_status 0 run_shipped neverball -- /usr/games/neverball --version
    assert_match "^[0-9]+\.[0-9]+" "$(last_stdout)"
    # --version keeps nothing there, so the home it was given goes again.
    assert_eq "" "$(ls -A "$T/data/hutch/homes")" "no empty home is left"
}

test_gdb_launches() {
    need_cmd gdb
    assert_status 0 run_shipped gdb -- gdb --version
    assert_match "^GNU gdb" "$(last_stdout)"
}

test_large_apps_are_planned_with_their_command() {
    need_x11
    need_cmd xpra Xvfb
    need_pulse
    local name cmd
    for name in firefox-esr chromium thunderbird libreoffice gimp vlc steam wine; do
        cmd=$name
        assert_status 0 hp run --profile "$name" --dry-run || continue
        assert_match "^command +'$cmd'" "$(last_stdout | grep '^command')" "$name"
    done
}
