/* One entry point per subcommand; each takes argv starting at its name. */
#pragma once

int hutch_cmd_run(int argc, char **argv);
int hutch_cmd_profile(int argc, char **argv);
int hutch_cmd_ls(int argc, char **argv);
int hutch_cmd_info(int argc, char **argv);
int hutch_cmd_stop(int argc, char **argv);
int hutch_cmd_freeze(int argc, char **argv);
int hutch_cmd_thaw(int argc, char **argv);
int hutch_cmd_enter(int argc, char **argv);
int hutch_cmd_check(int argc, char **argv);
int hutch_cmd_create(int argc, char **argv);
int hutch_cmd_images(int argc, char **argv);
int hutch_cmd_destroy(int argc, char **argv);
