# SPDX-License-Identifier: LGPL-2.1-or-later
# Image and document viewers under their own profiles: a file of a known
# colour from a granted folder, shown in a window, and ~/.ssh out of reach.
. "$REPO/tests/apps/apps.sh"

COLOUR="#12AB34"

# view APP CLASS FILE: APP shows FILE in a window of CLASS, in COLOUR.
view() {
    local app=$1 class=$2 file=$3 wid
    app_start "$app" "$file"
    wid=$(app_window "$class" 30) || return
    app_shot_has "$wid" "$COLOUR" 20
    app_canary "$app"
}

green_png() {
    convert -size 200x200 "xc:$COLOUR" "$T/home/Pictures/green.png"
    chmod a+r "$T/home/Pictures/green.png"
}

test_eog_shows_a_picture() {
    need_cmd eog convert import xdotool
    need_x11
    app_home
    green_png
    view eog '^eog' "$T/home/Pictures/green.png"
}

test_ristretto_shows_a_picture() {
    need_cmd ristretto convert import xdotool
    need_x11
    app_home
    green_png
    view ristretto '^ristretto' "$T/home/Pictures/green.png"
}

test_feh_shows_a_picture() {
    need_cmd feh convert import xdotool
    need_x11
    app_home
    green_png
    view feh '^feh' "$T/home/Pictures/green.png"
}

test_zathura_shows_a_pdf() {
    need_cmd zathura import xdotool
    need_x11
    app_home
    colour_pdf "$T/home/Documents/green.pdf"
    view zathura '^zathura' "$T/home/Documents/green.pdf"
}

test_viewnior_shows_a_picture() {
    need_cmd viewnior convert import xdotool
    need_x11
    app_home
    green_png
    view viewnior '^viewnior' "$T/home/Pictures/green.png"
}

test_qpdfview_shows_a_pdf() {
    need_cmd qpdfview import xdotool
    need_x11
    app_home
    colour_pdf "$T/home/Documents/green.pdf"
    view qpdfview '^qpdfview' "$T/home/Documents/green.pdf"
}

test_geeqie_shows_a_picture() {
    need_cmd geeqie convert import xdotool
    need_x11
    app_home
    green_png
    view geeqie '^geeqie' "$T/home/Pictures/green.png"
}
