# SPDX-License-Identifier: LGPL-2.1-or-later
# hutch-test-timeout: 90
# Office, documents and mail under their own profiles, each doing its job
# on files in the folders its profile grants, and not reading ~/.ssh.
. "$REPO/tests/apps/apps.sh"

COLOUR="#12AB34"

test_libreoffice_converts_a_document_in_documents_to_pdf() {
    need_cmd libreoffice pdftotext
    need_x11
    app_home
    echo "Minutes of the hutch meeting" >"$T/home/Documents/minutes.txt"
    chmod a+rw "$T/home/Documents/minutes.txt"
    assert_status 0 app_run libreoffice --headless --convert-to pdf \
        --outdir "$T/home/Documents" "$T/home/Documents/minutes.txt"
    assert_contains "$(pdftotext "$T/home/Documents/minutes.pdf" - 2>&1)" "Minutes of the hutch meeting"
    assert_file_exists "$(app_private_home libreoffice)/.config/libreoffice" "its settings in its own home"
    app_canary libreoffice
}

test_gimp_runs_a_batch_script_that_saves_to_pictures() {
    need_cmd gimp
    need_x11
    app_home
    local out=$T/home/Pictures/square.png
    assert_status 0 app_run gimp -i -b "(let* ((img (car (gimp-image-new 32 32 RGB)))
        (layer (car (gimp-layer-new img 32 32 RGB-IMAGE \"bg\" 100 LAYER-MODE-NORMAL))))
        (gimp-image-insert-layer img layer 0 0)
        (gimp-context-set-foreground '(18 171 52))
        (gimp-drawable-fill layer FILL-FOREGROUND)
        (file-png-save RUN-NONINTERACTIVE img layer \"$out\" \"square.png\" 0 9 0 0 0 0 0))" \
        -b '(gimp-quit 0)'
    assert_contains "$(last_stderr)" "batch command executed successfully"
    assert_match "^ *1024: .* $COLOUR " "$(convert "$out" -format %c histogram:info:- 2>&1)" \
        "a 32x32 square of the colour"
    app_canary gimp
}

test_evince_renders_a_pdf_from_documents() {
    need_cmd evince xdotool import
    need_x11
    app_home
    colour_pdf "$T/home/Documents/green.pdf"
    app_start evince "$T/home/Documents/green.pdf"
    local wid
    wid=$(app_window '^evince' 30) || return
    app_shot_has "$wid" "$COLOUR" 20
    app_canary evince
}

# edit APP CLASS [KEY]: APP opens a file in ~/Documents; keys typed into
# its window through XTEST from outside, as a user types them, and Ctrl+S
# save it through the granted folder. KEY is pressed at the end of the
# text first (gedit hides a file's last newline: Return).
edit() {
    local app=$1 class=$2 key=${3:-} file=$T/home/Documents/notes-$1.txt wid
    echo "first line" >"$file"
    chmod a+rw "$file"
    app_start "$app" "$file"
    wid=$(app_window "$class" 30) || return
    assert_contains "$(xdotool getwindowname "$wid")" "notes-$app.txt"
    xdotool windowfocus --sync "$wid" key ctrl+End ${key:+"$key"} type "typed in hutch"
    xdotool key ctrl+s
    WAIT_FOR_SECONDS=10 wait_for grep -q "typed in hutch" "$file"
    assert_eq "first line
typed in hutch" "$(cat "$file")" "$app saved the file"
    app_canary "$app"
}

test_mousepad_edits_and_saves_a_file_in_documents() {
    need_cmd mousepad xdotool
    need_x11
    app_home
    edit mousepad '^mousepad'
}

test_geany_edits_and_saves_a_file_in_documents() {
    need_cmd geany xdotool
    need_x11
    app_home
    edit geany '^geany'
    assert_file_exists "$(app_private_home geany)/.config/geany" "its settings in its own home"
}

test_featherpad_edits_and_saves_a_file_in_documents() {
    need_cmd featherpad xdotool
    need_x11
    app_home
    edit featherpad '^featherpad'
}

test_gedit_edits_and_saves_a_file_in_documents() {
    need_cmd gedit xdotool
    need_x11
    app_home
    edit gedit '^gedit' Return
}

test_inkscape_exports_a_drawing_from_pictures() {
    need_cmd inkscape convert
    need_x11
    app_home
    printf '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="%s"/></svg>\n' \
        "$COLOUR" >"$T/home/Pictures/square.svg"
    chmod a+r "$T/home/Pictures/square.svg"
    assert_status 0 app_run inkscape --export-type=png \
        --export-filename="$T/home/Pictures/square.png" "$T/home/Pictures/square.svg"
    assert_match "^ *1600: .* $COLOUR" "$(convert "$T/home/Pictures/square.png" -format %c histogram:info:- 2>&1)" \
        "a 40x40 square of the colour"
    app_canary inkscape
}

test_keepassxc_unlocks_a_database_in_documents() {
    need_cmd keepassxc keepassxc-cli xdotool
    need_x11
    app_home
    local db=$T/home/Documents/vault.kdbx wid
    printf 'pw-of-hutch\npw-of-hutch\n' | keepassxc-cli db-create -p "$db" >/dev/null 2>&1
    chmod a+rw "$db"
    app_start keepassxc "$db"
    app_window '^keepassxc' 40 >/dev/null || return
    WAIT_FOR_SECONDS=15 wait_for xdotool search --onlyvisible --name 'vault.kdbx \[Locked\]'
    wid=$(xdotool search --onlyvisible --name 'vault.kdbx \[Locked\]' | tail -n 1)
    assert_match '^[0-9]+$' "$wid" "its unlock window names the database" || return
    # The password typed into its unlock field, as a user types it.
    xdotool windowfocus --sync "$wid" type pw-of-hutch
    xdotool key Return
    WAIT_FOR_SECONDS=15 wait_for sh -c "xdotool search --onlyvisible --name '^vault.kdbx - KeePassXC'"
    assert_match "^vault.kdbx - KeePassXC" "$(xdotool getwindowname "$wid")" "unlocked"
    assert_file_exists "$(app_private_home keepassxc)/.config/keepassxc" "its settings in its own home"
    app_canary keepassxc
}

test_thunderbird_starts_with_its_profile_in_its_private_home() {
    need_cmd thunderbird xdotool
    need_x11
    app_home
    app_start thunderbird
    local wid
    wid=$(app_window '^thunderbird' 60) || return
    assert_contains "$(xdotool getwindowname "$wid")" "Mozilla Thunderbird"
    local prefs
    prefs="ls '$(app_private_home thunderbird)'/.thunderbird/*.default*/prefs.js"
    WAIT_FOR_SECONDS=20 wait_for sh -c "$prefs"
    assert_status 0 sh -c "$prefs"
    assert_file_not_exists "$T/home/.thunderbird" "nothing in the real home"
    app_canary thunderbird
}

test_abiword_converts_a_document_in_documents_to_pdf() {
    need_cmd abiword pdftotext
    need_x11
    app_home
    echo "Agenda of the hutch meeting" >"$T/home/Documents/agenda.txt"
    chmod a+rw "$T/home/Documents/agenda.txt"
    assert_status 0 app_run abiword --to=pdf --to-name="$T/home/Documents/agenda.pdf" \
        "$T/home/Documents/agenda.txt"
    assert_contains "$(pdftotext "$T/home/Documents/agenda.pdf" - 2>&1)" "Agenda of the hutch meeting"
    app_canary abiword
}

test_xournalpp_exports_a_note_in_documents_to_pdf() {
    need_cmd xournalpp pdftotext pdftoppm convert
    need_x11
    app_home
    # A one-page note: a page of the colour, with a line of text on it.
    printf '%s\n' '<?xml version="1.0" standalone="no"?>' \
        '<xournal creator="hutch" fileversion="4"><title>Xournal++ document</title>' \
        "<page width=\"300\" height=\"300\"><background type=\"solid\" color=\"${COLOUR,,}ff\" style=\"plain\"/>" \
        '<layer><text font="Sans" size="12" x="20" y="20" color="#000000ff">Notes of hutch</text></layer></page>' \
        '</xournal>' | gzip >"$T/home/Documents/note.xopp"
    chmod a+rw "$T/home/Documents/note.xopp"
    assert_status 0 app_run xournalpp --create-pdf="$T/home/Documents/note.pdf" "$T/home/Documents/note.xopp"
    assert_contains "$(pdftotext "$T/home/Documents/note.pdf" - 2>&1)" "Notes of hutch"
    # At 36 dpi the page is 150x150 pixels: most of them the background.
    pdftoppm -png -r 36 -singlefile "$T/home/Documents/note.pdf" "$T/note" 2>/dev/null
    local n
    n=$(convert "$T/note.png" -format %c histogram:info:- 2>/dev/null |
        awk -v c="$COLOUR" '$3 == c { sub(":", "", $1); print $1 }')
    assert_eq 1 "$((${n:-0} > 15000))" "${n:-no} pixels of the page's background"
    app_canary xournalpp
}

# claws_seed HOME: an account that only sends and a local MH mailbox
# (~/Mail), as its setup wizard leaves them, in Claws Mail's own home.
claws_seed() {
    local home=$1 seed=$T/seed
    mkdir -p "$seed/.claws-mail" "$seed/Mail"/{inbox,sent,queue,trash,draft}
    # protocol 6: none (SMTP only)
    printf '%s\n' '[Account: 1]' 'account_name=hutch' 'is_default=1' 'name=Hutch Test' \
        'address=user@example.org' 'protocol=6' 'smtp_server=localhost' \
        >"$seed/.claws-mail/accountrc"
    printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' '<folderlist>' \
        '<folder type="mh" name="Mailbox" path="Mail" collapsed="0">' \
        '<folderitem type="inbox" name="inbox" path="inbox"/>' \
        '<folderitem type="outbox" name="sent" path="sent"/>' \
        '<folderitem type="queue" name="queue" path="queue"/>' \
        '<folderitem type="trash" name="trash" path="trash"/>' \
        '<folderitem type="draft" name="draft" path="draft"/>' \
        '</folder>' '</folderlist>' >"$seed/.claws-mail/folderlist.xml"
    chmod -R a+rX "$seed"
    as_user sh -c "mkdir -p '$home' && cp -r '$seed/.claws-mail' '$seed/Mail' '$home/'"
}

test_claws_mail_composes_a_mail_saved_to_its_drafts() {
    need_cmd claws-mail xdotool
    need_x11
    app_home
    local home wid
    home=$(app_private_home claws-mail)
    claws_seed "$home"
    app_start claws-mail --compose "mailto:friend@example.org?subject=hutch-test"
    app_window '^claws-mail' 40 >/dev/null || return
    WAIT_FOR_SECONDS=20 wait_for xdotool search --onlyvisible --name '^hutch-test - Compose message'
    wid=$(xdotool search --onlyvisible --name '^hutch-test - Compose message' | tail -n 1)
    assert_match '^[0-9]+$' "$wid" "its compose window" || return
    # The body typed as a user types it, and Ctrl+S: save to the drafts.
    xdotool windowfocus --sync "$wid" type "typed in hutch"
    xdotool key ctrl+s
    WAIT_FOR_SECONDS=15 wait_for grep -q "typed in hutch" "$home/Mail/draft/1"
    local draft
    draft=$(cat "$home/Mail/draft/1" 2>&1)
    assert_contains "$draft" "Subject: hutch-test"
    assert_contains "$draft" "To: friend@example.org"
    assert_contains "$draft" "typed in hutch"
    assert_file_not_exists "$T/home/.claws-mail" "nothing in the real home"
    app_canary claws-mail
}

test_galculator_computes_and_copies_the_result() {
    need_cmd galculator xdotool xsel
    need_x11
    app_home
    app_start galculator
    local wid
    wid=$(app_window '^galculator' 30) || return
    # Keys typed into its window as a user types them, the result copied.
    xdotool windowfocus --sync "$wid" type '6*7='
    xdotool key ctrl+c
    WAIT_FOR_SECONDS=10 wait_for sh -c "timeout 2 xsel -b -o | grep -qx 42"
    assert_eq 42 "$(timeout 2 xsel -b -o 2>&1)" "6*7 computed and copied"
    app_canary galculator
}
