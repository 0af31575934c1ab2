/* One entry point per subcommand; each takes argv starting at its name. */
#pragma once

int hutch_cmd_run(int argc, char **argv);
int hutch_cmd_profile(int argc, char **argv);
