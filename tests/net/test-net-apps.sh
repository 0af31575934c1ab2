# SPDX-License-Identifier: LGPL-2.1-or-later
# The network clients of the shipped profiles (user-mode network, through
# pasta), each launched as `hutch run APP` on the made-up host (net.sh) and
# doing its job against a real server on the made-up outside: the IRC
# clients talk on an ngircd, the torrent clients download a file from a web
# seed (BEP 19) into the Downloads their profile grants. Their settings stay
# in their private homes, seeded as the apps themselves write them.
# shellcheck source=tests/apps/apps.sh
. "$REPO/tests/apps/apps.sh"
# shellcheck source=tests/net/net.sh
. "$REPO/tests/net/net.sh"

APP_NETNS=$NET_H
IRC_CHANNEL='#hutch'

teardown() {
    apps_teardown
    net_teardown
}

# app_seed APP FILE: stdin becomes FILE (relative) in APP's private home,
# owned by the test user, as if the app had written it on an earlier run.
app_seed() {
    local path
    path=$(app_private_home "$1")/$2
    as_user sh -c 'mkdir -p "${1%/*}" && cat >"$1"' sh "$path"
}

# irc_server: an ngircd on $OUT4:6667, and a watcher client in the channel
# whose lines are in $T/irc.log (it CTCP-pings every nick that joins).
irc_server() {
    need_cmd ngircd
    cat >"$T/ngircd.conf" <<EOF
[Global]
Name = irc.hutch.test
Info = the net suite's IRC server
AdminInfo1 = hutch tests
AdminInfo2 = tests/net
AdminEMail = root@localhost
Listen = $OUT4
Ports = 6667
MotdPhrase = hutch test server
PidFile = $T/ngircd.pid
[Options]
DNS = no
Ident = no
PAM = no
EOF
    in_out ngircd --nodaemon --config "$T/ngircd.conf" >"$T/ngircd.log" 2>&1 &
    NET_PIDS+=($!)
    wait_for listening "$NET_O" tcp 6667 || return
    in_out python3 -u "$PROBE" irc-watch "$OUT4" 6667 "$IRC_CHANNEL" >"$T/irc.log" 2>&1 &
    NET_PIDS+=($!)
    wait_for grep -q " 366 watcher " "$T/irc.log"
}

# irc_saw WHAT REGEX: the watcher saw a line matching REGEX within 40 s.
# A client of the made-up host comes from $HOST4: pasta connects for it
# from the host's address.
irc_saw() {
    if WAIT_FOR_SECONDS=40 wait_for grep -Eq "$2" "$T/irc.log"; then
        _pass
    else
        _fail "$1: no line /$2/ in the watcher's log: $(tail -c 600 "$T/irc.log"); app stderr: $(tail -c 400 "$T"/*.err 2>/dev/null)"
    fi
}

# assert_only_grants APP: no file written in the real home since $T/start
# outside the Downloads grant and APP's private home (hutch itself makes
# only empty folders there).
assert_only_grants() {
    local stray
    stray=$(find "$T/home" -newer "$T/start" -not -type d \
        -not -path "$T/home/Downloads/*" -not -path "$(app_private_home "$1")/*" | head -n 5)
    assert_eq "" "$stray" "no file in the real home outside Downloads and the private home"
}

test_hexchat_talks_on_an_irc_server_through_its_profile() {
    need_cmd hexchat xdotool
    need_x11
    app_home
    irc_server || return
    # Its server list, as its Network List writes it: one network that it
    # connects to at start (flags 10: global nick, auto-connect), whose
    # connect commands join the channel and say something there.
    app_seed hexchat .config/hexchat/hexchat.conf <<EOF
irc_nick1 = hexuser
irc_nick2 = hexuser_
irc_nick3 = hexuser__
irc_user_name = hexuser
gui_slist_skip = 1
EOF
    app_seed hexchat .config/hexchat/servlist.conf <<EOF
v=2.16.1

N=hutchnet
E=UTF-8 (Unicode)
F=10
D=0
S=$OUT4/6667
C=JOIN $IRC_CHANNEL
C=MSG $IRC_CHANNEL hello from hexchat
EOF
    touch "$T/start"
    app_start hexchat
    app_window '^hexchat' 40 >/dev/null || return
    irc_saw "hexchat joined" "^:hexuser!~?hexuser@$HOST4 JOIN :?$IRC_CHANNEL"
    irc_saw "hexchat spoke" "^:hexuser!.* PRIVMSG $IRC_CHANNEL :hello from hexchat"
    irc_saw "hexchat answered the CTCP ping" "^:hexuser!.* NOTICE watcher :.PING hutch-hexuser"
    assert_only_grants hexchat
    app_canary hexchat
}

test_pidgin_joins_an_irc_channel_through_its_profile() {
    need_cmd pidgin xdotool
    need_x11
    app_home
    irc_server || return
    # An IRC account enabled for Pidgin's UI (gtk-gaim auto-login), and the
    # channel on its buddy list with auto-join, as its dialogs save them.
    app_seed pidgin .purple/accounts.xml <<EOF
<?xml version='1.0' encoding='UTF-8' ?>
<account version='1.0'>
 <account>
  <protocol>prpl-irc</protocol>
  <name>pidgin@$OUT4</name>
  <settings>
   <setting name='port' type='int'>6667</setting>
   <setting name='ssl' type='bool'>0</setting>
   <setting name='encoding' type='string'>UTF-8</setting>
   <setting name='username' type='string'>pidgin</setting>
  </settings>
  <settings ui='gtk-gaim'>
   <setting name='auto-login' type='bool'>1</setting>
  </settings>
 </account>
</account>
EOF
    app_seed pidgin .purple/blist.xml <<EOF
<?xml version='1.0' encoding='UTF-8' ?>
<purple version='1.0'>
 <blist>
  <group name='Chats'>
   <chat proto='prpl-irc' account='pidgin@$OUT4'>
    <component name='channel'>$IRC_CHANNEL</component>
    <setting name='gtk-autojoin' type='bool'>1</setting>
   </chat>
  </group>
 </blist>
</purple>
EOF
    touch "$T/start"
    app_start pidgin
    app_window '^pidgin' 40 >/dev/null || return
    irc_saw "pidgin joined" "^:pidgin!~?pidgin@$HOST4 JOIN :?$IRC_CHANNEL"
    irc_saw "pidgin answered the CTCP ping" "^:pidgin!.* NOTICE watcher :.PING hutch-pidgin"
    assert_file_exists "$(app_private_home pidgin)/.purple/prefs.xml" "its settings in its own home"
    assert_only_grants pidgin
    app_canary pidgin
}

# web_seed: a random file served on $OUT4:8080, and a .torrent of it in
# ~/Downloads (where a browser of the user's would have saved it) whose
# one source is that URL. The home names its folders in user-dirs.dirs, as
# xdg-user-dirs writes it at a desktop login.
web_seed() {
    mkdir -p "$T/home/.config"
    # shellcheck disable=SC2016 # $HOME is the file's own syntax
    printf '%s\n' 'XDG_DESKTOP_DIR="$HOME/Desktop"' 'XDG_DOWNLOAD_DIR="$HOME/Downloads"' \
        'XDG_DOCUMENTS_DIR="$HOME/Documents"' >"$T/home/.config/user-dirs.dirs"
    chmod -R a+rwX "$T/home/.config"
    serve "$NET_O" tcp "$OUT4" 8080 || return
    head -c 1200000 /dev/urandom >"$T/www-$NET_O/payload.bin"
    python3 "$PROBE" make-torrent "$T/www-$NET_O/payload.bin" \
        "http://$OUT4:8080/payload.bin" "$T/home/Downloads/payload.torrent" || return
    chmod a+r "$T/home/Downloads/payload.torrent"
    SEED_SUM=$(sha256sum <"$T/www-$NET_O/payload.bin")
}

# assert_downloaded APP: the payload lands complete in ~/Downloads, fetched
# from the web seed.
assert_downloaded() {
    local got=$T/home/Downloads/payload.bin
    WAIT_FOR_SECONDS=40 wait_for sh -c '[ "$(sha256sum <"$1")" = "$2" ]' sh "$got" "$SEED_SUM"
    assert_eq "$SEED_SUM" "$(sha256sum <"$got" 2>/dev/null)" \
        "$1 downloaded the file whole (stderr: $(tail -c 400 "$T/$1.err"))"
    assert_contains "$(cat "$T/www-$NET_O.log" 2>/dev/null)" "/payload.bin" "from the web seed"
}

test_transmission_downloads_from_a_web_seed_through_its_profile() {
    need_cmd transmission-gtk xdotool
    need_x11
    app_home
    web_seed || return
    # The first-run consent given, and no options dialog per torrent: as
    # its dialogs save them.
    app_seed transmission-gtk .config/transmission/settings.json <<EOF
{
    "show-options-window": false,
    "user-has-given-informed-consent": true
}
EOF
    touch "$T/start"
    app_start transmission-gtk "$T/home/Downloads/payload.torrent"
    app_window '^transmission' 40 >/dev/null || return
    assert_downloaded transmission-gtk
    assert_status 0 compgen -G \
        "$(app_private_home transmission-gtk)/.config/transmission/torrents/*.torrent"
    assert_only_grants transmission-gtk
    app_canary transmission-gtk
}

test_qbittorrent_downloads_from_a_web_seed_through_its_profile() {
    need_cmd qbittorrent xdotool
    need_x11
    app_home
    web_seed || return
    # Its legal notice accepted and no dialog per added torrent, as its
    # dialogs save them.
    app_seed qbittorrent .config/qBittorrent/qBittorrent.conf <<EOF
[LegalNotice]
Accepted=true

[AddNewTorrentDialog]
Enabled=false
EOF
    touch "$T/start"
    app_start qbittorrent "$T/home/Downloads/payload.torrent"
    app_window '^qbittorrent' 40 >/dev/null || return
    assert_downloaded qbittorrent
    WAIT_FOR_SECONDS=10 wait_for compgen -G \
        "$(app_private_home qbittorrent)/.local/share/qBittorrent/BT_backup/*.torrent"
    assert_status 0 compgen -G \
        "$(app_private_home qbittorrent)/.local/share/qBittorrent/BT_backup/*.torrent"
    assert_only_grants qbittorrent
    app_canary qbittorrent
}
