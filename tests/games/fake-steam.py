#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A stand-in for the Steam client launching a game, for the games suite:
Steam itself cannot be installed offline. It does what Steam does when a
game has a compatibility tool picked (or launch options):

  - scans ~/.steam/root/compatibilitytools.d and
    ~/.local/share/Steam/compatibilitytools.d for the tool named --tool
    (compatibilitytool.vdf), and reads its toolmanifest.vdf (version 2,
    commandline with %verb%, use_tool_subprocess_reaper);
  - builds the chain: a subreaper (itself), the tool with %verb% =
    waitforexitandrun, then the game's command;
  - sets SteamAppId, STEAM_COMPAT_* (data, install, client, tool paths,
    library paths), changes to the game's directory;
  - holds what a game reaches of its client: a /dev/shm segment, a SysV
    semaphore, the ~/.steam/steam.pipe FIFO (it prints every line a game
    writes there) and ~/.steampid;
  - waits for the game and everything it started, and exits with its status.

usage: fake-steam.py [--tool NAME | --launch-options 'PREFIX %command%']
                     --appid N --game-dir DIR -- COMMAND...
"""
import argparse
import ctypes
import os
import shlex
import signal
import sys
import threading

import vdf

libc = ctypes.CDLL(None, use_errno=True)
PR_SET_CHILD_SUBREAPER = 36
IPC_CREAT, IPC_RMID, SETVAL = 0o1000, 0, 16


def find_tool(home, name):
    for root in (os.path.join(home, ".steam/root/compatibilitytools.d"),
                 os.path.join(home, ".local/share/Steam/compatibilitytools.d")):
        if not os.path.isdir(root):
            continue
        for entry in sorted(os.listdir(root)):
            d = os.path.join(root, entry)
            try:
                with open(os.path.join(d, "compatibilitytool.vdf")) as f:
                    tools = vdf.load(f)["compatibilitytools"]["compat_tools"]
            except (OSError, KeyError, SyntaxError):
                continue
            if name in tools:
                install = os.path.normpath(os.path.join(d, tools[name]["install_path"]))
                with open(os.path.join(install, "toolmanifest.vdf")) as f:
                    return install, vdf.load(f)["manifest"]
    sys.exit(f"fake-steam: no compatibility tool named {name}")


def tool_chain(install, manifest):
    if manifest.get("version") != "2":
        sys.exit(f"fake-steam: manifest version {manifest.get('version')}, expected 2")
    words = shlex.split(manifest["commandline"].replace("%verb%", "waitforexitandrun"))
    words[0] = install + words[0]
    return words, manifest.get("use_tool_subprocess_reaper") == "1"


def sysv_semaphore(key, value):
    semid = libc.semget(key, 1, IPC_CREAT | 0o600)
    if semid < 0 or libc.semctl(semid, 0, SETVAL, value) < 0:
        sys.exit(f"fake-steam: semget: {os.strerror(ctypes.get_errno())}")
    return semid


def read_pipe(path, lines):
    # Reopen after each writer: a game may open and close it many times.
    while True:
        with open(path) as f:
            for line in f:
                if line.strip() == "fake-steam: stop":
                    return
                lines.append(line.rstrip("\n"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tool")
    p.add_argument("--launch-options")
    p.add_argument("--appid", required=True)
    p.add_argument("--game-dir", required=True)
    p.add_argument("command", nargs="+")
    a = p.parse_args()
    home = os.environ["HOME"]
    client = os.path.join(home, ".local/share/Steam")
    os.makedirs(os.path.join(client, "steamapps/compatdata", a.appid), exist_ok=True)
    os.makedirs(os.path.join(home, ".steam"), exist_ok=True)
    if not os.path.lexists(os.path.join(home, ".steam/root")):
        os.symlink(client, os.path.join(home, ".steam/root"))

    if a.tool:
        install, manifest = find_tool(home, a.tool)
        chain, reaper = tool_chain(install, manifest)
        argv = chain + a.command
        tool_paths = install
    else:
        prefix = shlex.split(a.launch_options.replace("%command%", "").strip())
        argv, reaper, tool_paths = prefix + a.command, True, ""

    env = dict(os.environ)
    env.update({
        "SteamAppId": a.appid,
        "STEAM_COMPAT_APP_ID": a.appid,
        "STEAM_COMPAT_DATA_PATH": os.path.join(client, "steamapps/compatdata", a.appid),
        "STEAM_COMPAT_INSTALL_PATH": a.game_dir,
        "STEAM_COMPAT_CLIENT_INSTALL_PATH": client,
        "STEAM_COMPAT_TOOL_PATHS": tool_paths,
        "STEAM_COMPAT_LIBRARY_PATHS": os.path.join(client, "steamapps"),
    })

    # What the game must reach of its client.
    shm = f"/dev/shm/u{os.getuid()}-Shm_fake{os.getpid()}"
    with open(shm, "w") as f:
        f.write("steam-shm-ok\n")
    env["FAKE_STEAM_SHM"] = shm
    sem_key = 0x5700000 + os.getpid() % 0x10000
    semid = sysv_semaphore(sem_key, 42)
    env["FAKE_STEAM_SEM_KEY"] = str(sem_key)
    pipe = os.path.join(home, ".steam/steam.pipe")
    if os.path.lexists(pipe):
        os.unlink(pipe)
    os.mkfifo(pipe, 0o600)
    with open(os.path.join(home, ".steampid"), "w") as f:
        f.write(f"{os.getpid()}\n")
    lines = []
    reader = threading.Thread(target=read_pipe, args=(pipe, lines), daemon=True)
    reader.start()

    if reaper:
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    print("fake-steam: running " + " ".join(shlex.quote(w) for w in argv), flush=True)
    pid = os.fork()
    if pid == 0:
        os.chdir(a.game_dir)
        os.execvpe(argv[0], argv, env)
    # Steam's way of ending a game: SIGINT, then SIGKILL.
    signal.signal(signal.SIGINT, lambda *_: os.kill(pid, signal.SIGINT))
    status = None
    while True:  # reap the game and everything it left (subreaper)
        try:
            got, st = os.wait()
        except ChildProcessError:
            break
        if got == pid:
            status = os.waitstatus_to_exitcode(st)
    with open(pipe, "w") as f:
        f.write("fake-steam: stop\n")
    reader.join(5)
    for line in lines:
        print("pipe: " + line)
    libc.semctl(semid, 0, IPC_RMID, 0)
    os.unlink(shm)
    code = status if status >= 0 else 128 - status
    print(f"fake-steam: the game exited with {code}", flush=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
