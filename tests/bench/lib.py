# SPDX-License-Identifier: LGPL-2.1-or-later
"""Shared helpers for the hutch benchmarks in tests/bench/.

A benchmark is an executable in tests/bench/ (./dev bench runs them all).
It imports this module (sys.path gets the script's directory by default):

    import lib
    runner = lib.Runner()                      # as the test user when root
    cmds = {"hutch": [lib.hutch(), "run", "--", "true"],
            "bwrap": lib.BWRAP_TRUE}
    results = runner.bench(cmds, runs=50, warmup=5)
    lib.print_table(results, baseline="bwrap")

Timing uses clock_gettime(CLOCK_MONOTONIC) around fork+exec+wait of each
command; commands are interleaved run by run so drift affects all alike.
"""

import atexit
import math
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TEST_USER = "hutchtest"
NOSUB_USER = "hutchnosub"  # no subordinate ranges (tests/lib.sh)
USER_PATH = "/usr/local/bin:/usr/bin:/bin"

# The reference sandbox every bench compares against.
BWRAP_TRUE = [
    "bwrap", "--unshare-all", "--die-with-parent", "--new-session",
    "--ro-bind", "/usr", "/usr",
    "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
    "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/sbin", "/sbin",
    "--ro-bind", "/etc", "/etc", "--proc", "/proc", "--dev", "/dev",
    "--tmpfs", "/tmp", "--", "true",
]


SERVICES = os.path.join(REPO, "tests", "services.sh")


def start_x11(state, who):
    """Xvfb with SECURITY from tests/services.sh, its state in the directory
    state; sets DISPLAY and XAUTHORITY here (Runner passes them on)."""
    os.environ["HUTCH_SERVICES_DIR"] = state
    subprocess.run([SERVICES, "start", "x11"], check=True, stdout=subprocess.DEVNULL)
    env = {}
    with open(os.path.join(state, "env")) as f:
        for line in f:
            key, _, value = line.removeprefix("export ").strip().partition("=")
            env[key] = value.strip("'\"")
    if env.get("HUTCH_SERVICE_X11") != "ok":
        raise SystemExit(f"{who}: services did not start: {env}")
    os.environ["DISPLAY"] = env["DISPLAY"]
    os.environ["XAUTHORITY"] = env["XAUTHORITY"]


def stop_services():
    """Stop what start_x11 started (HUTCH_SERVICES_DIR says where)."""
    subprocess.run([SERVICES, "stop"], stdout=subprocess.DEVNULL)


def hutch():
    """Path of the hutch binary under test (HUTCH_BIN, else $HUTCH_BUILD)."""
    if os.environ.get("HUTCH_BIN"):
        return os.environ["HUTCH_BIN"]
    build = os.environ.get("HUTCH_BUILD", "build")
    return os.path.join(REPO, build, "sandbox", "hutch")


def now_ns():
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC)


class Missing(Exception):
    """A command that is not installed."""


_runtime_dirs = {}


def session_runtime_dir(uid, gid):
    """A fresh tmpfs as the test user's XDG_RUNTIME_DIR, the way pam_systemd
    gives every desktop session one. hutch keeps its state, cookies and
    sound sockets there; on a machine whose /run is on disk, as CI's is,
    each of those files would cost a journal write that no desktop pays.
    Unmounted when the bench exits."""
    if uid in _runtime_dirs:
        return _runtime_dirs[uid]
    path = tempfile.mkdtemp(prefix=f"hutch-bench-{uid}-", dir="/run")
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"mode=0700,uid={uid},gid={gid},size=64m",
                    "tmpfs", path], check=True)

    def unmount():
        subprocess.run(["umount", "-l", path], check=False)
        os.rmdir(path)
    atexit.register(unmount)
    _runtime_dirs[uid] = path
    return path


class Runner:
    """Runs commands as the test user (when root) or as ourselves, with a
    clean environment like tests/lib.sh's as_user."""

    def __init__(self, user=TEST_USER):
        if os.geteuid() == 0:
            pw = pwd.getpwnam(user)
            self.ids = dict(user=pw.pw_uid, group=pw.pw_gid,
                            extra_groups=os.getgrouplist(user, pw.pw_gid))
            runtime = session_runtime_dir(pw.pw_uid, pw.pw_gid)
        else:
            pw = pwd.getpwuid(os.getuid())
            self.ids = {}
            runtime = os.environ.get("XDG_RUNTIME_DIR", f"/run/user/{pw.pw_uid}")
        self.user = pw.pw_name
        self.env = {"HOME": pw.pw_dir, "USER": pw.pw_name, "LOGNAME": pw.pw_name,
                    "PATH": USER_PATH, "XDG_RUNTIME_DIR": runtime}
        for var in ("DISPLAY", "XAUTHORITY", "WAYLAND_DISPLAY", "PULSE_SERVER"):
            if os.environ.get(var):
                self.env[var] = os.environ[var]

    def popen(self, argv, **kw):
        if shutil.which(argv[0], path=USER_PATH) is None and not os.path.isfile(argv[0]):
            raise Missing(argv[0])
        kw.setdefault("stdin", subprocess.DEVNULL)
        kw.setdefault("stdout", subprocess.DEVNULL)
        kw.setdefault("stderr", subprocess.PIPE)
        return subprocess.Popen(argv, env=self.env, cwd="/", **self.ids, **kw)

    def time_once(self, argv):
        """(milliseconds, exit status, stderr) for one run of argv."""
        start = now_ns()
        proc = self.popen(argv)
        _, err = proc.communicate()
        return (now_ns() - start) / 1e6, proc.returncode, err

    def bench(self, cmds, runs=50, warmup=5):
        """Time every command in cmds ({name: argv, or (Runner, argv) to run
        it as another user}) runs times after warmup runs, interleaved.
        Returns {name: [ms, ...] or "missing" or "failed: ..."}."""
        def split(spec):
            return spec if isinstance(spec, tuple) else (self, spec)
        results = {}
        for name, spec in cmds.items():
            runner, argv = split(spec)
            try:
                for _ in range(warmup):
                    _, rc, err = runner.time_once(argv)
                    if rc != 0:
                        msg = err.decode(errors="replace").strip().splitlines()
                        results[name] = f"failed (status {rc}): {msg[-1] if msg else ''}"
                        break
                else:
                    results[name] = []
            except Missing:
                results[name] = "missing"
        live = [n for n, r in results.items() if isinstance(r, list)]
        for _ in range(runs):
            for name in live:
                runner, argv = split(cmds[name])
                ms, rc, err = runner.time_once(argv)
                if rc != 0:
                    print(f"warning: {name} exited {rc}: {err.decode(errors='replace').strip()}",
                          file=sys.stderr)
                results[name].append(ms)
        return results

    def memory(self, argv, settle=0.5, interval=0.05):
        """Peak VmRSS and VmHWM (kB) of the process started by argv (not of
        its children), sampled until it exits."""
        proc = self.popen(argv)
        time.sleep(settle)
        peak_rss = hwm = 0
        while proc.poll() is None:
            status = read_status(proc.pid)
            peak_rss = max(peak_rss, status.get("VmRSS", 0))
            hwm = max(hwm, status.get("VmHWM", 0))
            time.sleep(interval)
        proc.communicate()
        return {"VmRSS": peak_rss, "VmHWM": hwm, "status": proc.returncode}


def read_status(pid):
    """/proc/PID/status memory fields in kB ({} if gone)."""
    fields = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.startswith("Vm"):
                    fields[key] = int(value.split()[0])
    except (OSError, ValueError):
        pass
    return fields


def percentile(samples, p):
    """Nearest-rank percentile p (0-100) of samples."""
    s = sorted(samples)
    k = max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))
    return s[k]


def median(samples):
    s = sorted(samples)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def print_table(results, baseline="bwrap", title=None):
    """One line per command: median and p90 in ms, ratio to baseline."""
    if title:
        print(title)
    base = results.get(baseline)
    base_med = median(base) if isinstance(base, list) and base else None
    print(f"  {'':<10} {'median ms':>10} {'p90 ms':>8} {'vs ' + baseline:>9}")
    for name, r in results.items():
        if not isinstance(r, list) or not r:
            print(f"  {name:<10} {r}")
            continue
        med = median(r)
        ratio = f"{med / base_med:.2f}x" if base_med else "-"
        print(f"  {name:<10} {med:>10.2f} {percentile(r, 90):>8.2f} {ratio:>9}")
