/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch steam install-tool|remove-tool: hutch as a Steam compatibility
 * tool, so that "hutch" can be picked per game in Steam's properties
 * (Compatibility). Steam reads compatibilitytools.d/NAME/ for a
 * compatibilitytool.vdf (the tool's name and which games it runs) and a
 * toolmanifest.vdf (how to start it); with manifest version 2 it starts
 * "TOOL %verb% COMMAND..." under its subprocess reaper, which then waits
 * for everything the game started. The tool runs the game through
 * `hutch run --profile game`, chaining to the Steam Linux Runtime's entry
 * point where it is installed, so games keep their runtime: hutch outside,
 * the runtime's container inside (nested-sandbox). */
#include "cmd-common.h"
#include "commands.h"
#include "config.h"
#include "error.h"
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define TOOL_NAME "hutch"
#define TOOL_SCRIPT "hutch-tool"
/* Marks what hutch wrote, so that remove-tool never deletes a user's own
 * tool of the same name. */
#define WRITTEN_BY "Written by hutch steam install-tool"

static const char compatibilitytool_vdf[] = "// " WRITTEN_BY ".\n"
                                            "\"compatibilitytools\"\n"
                                            "{\n"
                                            "  \"compat_tools\"\n"
                                            "  {\n"
                                            "    \"" TOOL_NAME "\"\n"
                                            "    {\n"
                                            "      \"install_path\" \".\"\n"
                                            "      \"display_name\" \"hutch (sandboxed)\"\n"
                                            "      \"from_oslist\" \"linux\"\n"
                                            "      \"to_oslist\" \"linux\"\n"
                                            "    }\n"
                                            "  }\n"
                                            "}\n";

static const char toolmanifest_vdf[] = "// " WRITTEN_BY ".\n"
                                       "\"manifest\"\n"
                                       "{\n"
                                       "  \"version\" \"2\"\n"
                                       "  \"commandline\" \"/" TOOL_SCRIPT " %verb%\"\n"
                                       "  \"use_tool_subprocess_reaper\" \"1\"\n"
                                       "}\n";

/* The script Steam runs. HUTCH_STEAM_RUNTIME picks the runtime: auto (the
 * newest Steam Linux Runtime installed beside the client), none, or a
 * runtime's directory. */
static const char tool_script_fmt[] =
    "#!/bin/sh\n"
    "# " WRITTEN_BY " (hutch %s).\n"
    "# Steam runs: " TOOL_SCRIPT " VERB COMMAND...; see hutch(1), GAMES AND LAUNCHERS.\n"
    "hutch=%s\n"
    "verb=$1\n"
    "shift\n"
    "case $verb in\n"
    "waitforexitandrun | run) ;;\n"
    "*)\n"
    "    echo \"hutch-tool: Steam asked for '$verb', which a native tool does not do\" >&2\n"
    "    exit 1\n"
    "    ;;\n"
    "esac\n"
    "runtime=${HUTCH_STEAM_RUNTIME:-auto}\n"
    "if [ \"$runtime\" = auto ]; then\n"
    "    runtime=none\n"
    "    for r in SteamLinuxRuntime_sniper SteamLinuxRuntime_soldier; do\n"
    "        d=${STEAM_COMPAT_CLIENT_INSTALL_PATH:-$HOME/.steam/root}/steamapps/common/$r\n"
    "        if [ -x \"$d/_v2-entry-point\" ]; then runtime=$d; break; fi\n"
    "    done\n"
    "fi\n"
    "if [ \"$runtime\" = none ]; then\n"
    "    exec \"$hutch\" run --profile game -- \"$@\"\n"
    "fi\n"
    "exec \"$hutch\" run --profile game --ro \"$runtime\" -- \\\n"
    "    \"$runtime/_v2-entry-point\" --verb=\"$verb\" -- \"$@\"\n";

/* Where Steam looks: ~/.steam/root (a link to the client's directory) when
 * it exists, else the client's default directory. */
static char *
default_tools_dir(void)
{
  g_autofree char *root = g_build_filename(g_get_home_dir(), ".steam", "root", NULL);
  if (g_file_test(root, G_FILE_TEST_IS_DIR))
    return g_build_filename(root, "compatibilitytools.d", NULL);
  return g_build_filename(g_get_user_data_dir(), "Steam", "compatibilitytools.d", NULL);
}

/* The hutch that writes the tool is the one the tool runs; quoted for sh. */
static char *
this_hutch(GError **error)
{
  g_autofree char *self = g_file_read_link("/proc/self/exe", error);
  if (!self) {
    g_prefix_error(error, "steam: cannot tell where this hutch is: ");
    return NULL;
  }
  return g_shell_quote(self);
}

static gboolean
ours(const char *dir)
{
  g_autofree char *path = g_build_filename(dir, "toolmanifest.vdf", NULL);
  g_autofree char *text = NULL;
  return g_file_get_contents(path, &text, NULL, NULL) && strstr(text, WRITTEN_BY);
}

static gboolean
write_file(const char *dir, const char *name, const char *text, int mode, GError **error)
{
  g_autofree char *path = g_build_filename(dir, name, NULL);
  if (g_file_set_contents_full(path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, mode, error))
    return TRUE;
  g_prefix_error(error, "steam: ");
  return FALSE;
}

static int
install_tool(const char *tools_dir, GError **error)
{
  g_autofree char *dir = g_build_filename(tools_dir, TOOL_NAME, NULL);
  if (g_file_test(dir, G_FILE_TEST_EXISTS) && !ours(dir)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_FAILED,
                "steam: %s exists and was not written by hutch; move it away first", dir);
    return -1;
  }
  if (g_mkdir_with_parents(dir, 0755) < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_FAILED, "steam: cannot create %s: %s", dir,
                g_strerror(errno));
    return -1;
  }
  g_autofree char *hutch = this_hutch(error);
  if (!hutch)
    return -1;
  g_autofree char *script = g_strdup_printf(tool_script_fmt, HUTCH_VERSION, hutch);
  if (!write_file(dir, "compatibilitytool.vdf", compatibilitytool_vdf, 0644, error) ||
      !write_file(dir, "toolmanifest.vdf", toolmanifest_vdf, 0644, error) ||
      !write_file(dir, TOOL_SCRIPT, script, 0755, error))
    return -1;
  printf("installed the Steam compatibility tool 'hutch (sandboxed)' in %s\n"
         "restart Steam, then pick it in a game's Properties, Compatibility\n",
         dir);
  return 0;
}

static int
remove_tool(const char *tools_dir, GError **error)
{
  g_autofree char *dir = g_build_filename(tools_dir, TOOL_NAME, NULL);
  if (!g_file_test(dir, G_FILE_TEST_EXISTS)) {
    printf("no hutch compatibility tool in %s\n", tools_dir);
    return 0;
  }
  if (!ours(dir)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_FAILED,
                "steam: %s was not written by hutch; leaving it alone", dir);
    return -1;
  }
  const char *names[] = {"compatibilitytool.vdf", "toolmanifest.vdf", TOOL_SCRIPT};
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
    g_autofree char *path = g_build_filename(dir, names[i], NULL);
    if (g_unlink(path) < 0 && errno != ENOENT) {
      g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_FAILED, "steam: cannot remove %s: %s", path,
                  g_strerror(errno));
      return -1;
    }
  }
  if (g_rmdir(dir) < 0) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_FAILED,
                "steam: %s holds files hutch did not write; left in place: %s", dir,
                g_strerror(errno));
    return -1;
  }
  printf("removed the hutch compatibility tool from %s\n", tools_dir);
  return 0;
}

int
hutch_cmd_steam(int argc, char **argv, GError **error)
{
  g_autofree char *dir = NULL;
  GOptionEntry entries[] = {
      {"dir", 0, 0, G_OPTION_ARG_FILENAME, &dir,
       "Steam's compatibilitytools.d (default: ~/.steam/root/compatibilitytools.d)", "DIR"},
      {NULL},
  };
  if (!hutch_cmd_parse("install-tool|remove-tool",
                       "Make hutch a Steam compatibility tool that runs each game it is picked "
                       "for in a sandbox (install-tool), or take it away (remove-tool).",
                       entries, &argc, &argv, error))
    return -1;
  if (argc != 2 || !(g_str_equal(argv[1], "install-tool") || g_str_equal(argv[1], "remove-tool"))) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE,
                "usage: hutch steam [--dir DIR] install-tool|remove-tool");
    return -1;
  }
  if (dir && !g_path_is_absolute(dir)) {
    g_set_error(error, HUTCH_ERROR, HUTCH_ERROR_USAGE, "--dir %s: give an absolute path", dir);
    return -1;
  }
  g_autofree char *tools_dir = dir ? g_strdup(dir) : default_tools_dir();
  return g_str_equal(argv[1], "install-tool") ? install_tool(tools_dir, error)
                                              : remove_tool(tools_dir, error);
}
