# SPDX-License-Identifier: LGPL-2.1-or-later
# fish completion for hutch. The candidates come from hutch itself
# (`hutch __complete WORDS...`): its command and option tables, profiles,
# running sandboxes and images.
complete -c hutch -f -a '(hutch __complete (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'
