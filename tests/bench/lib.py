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
    ...
    sys.exit(lib.finish(status))              # non-zero if any run failed

Each command is started (vfork+exec) by a spawner running as the Runner's
user; wall time is clock_gettime(CLOCK_MONOTONIC) from the spawn to the
command's exit, CPU time is that of every process the run started, those
the command left to exit after it included (see timed_run). Commands are
interleaved run by run, in a fresh shuffled order each round, so drift and
the after-effects of one command on the next affect all alike.
A run that exits non-zero is no measurement (a launcher that fails fast
would lower its own median): its time is dropped, the table says how many
were, and lib.finish() makes the benchmark exit non-zero. A goal missed is
not a failure.
"""

import atexit
import inspect
import json
import math
import os
import pwd
import random
import resource
import select
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


# Every failed run of this process, as "NAME: exit status N: LAST STDERR LINE".
FAILED_RUNS = []


def record_failure(name, status, err=b""):
    """Note a run of NAME that failed (exit status, its stderr) and say so;
    lib.finish() turns any into a non-zero exit status."""
    if isinstance(err, bytes):
        err = err.decode(errors="replace")
    lines = err.strip().splitlines()
    what = f"{name}: exit status {status}" + (f": {lines[-1]}" if lines else "")
    FAILED_RUNS.append(what)
    print(f"warning: failed run dropped: {what}", file=sys.stderr)
    return what


def finish(status=0):
    """The benchmark's exit status: STATUS, or 1 if any run failed (whatever
    the goals said); lists the failed runs."""
    if FAILED_RUNS:
        print(f"{len(FAILED_RUNS)} failed run(s), dropped from the figures:")
        for what in FAILED_RUNS:
            print(f"  {what}")
        return status or 1
    return status


class Samples(list):
    """The timings of one command's successful runs; failed counts the runs
    that exited non-zero and were dropped."""

    def __init__(self, *args):
        super().__init__(*args)
        self.failed = 0


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


_EMPTY = []


def empty_file():
    """An empty read-only file, standing in for the one hutch makes in each
    sandbox's runtime directory to mask a file of /etc; removed at exit."""
    if not _EMPTY:
        fd, path = tempfile.mkstemp(prefix="hutch-bench-empty-")
        os.close(fd)
        os.chmod(path, 0o444)
        atexit.register(os.unlink, path)
        _EMPTY.append(path)
    return _EMPTY[0]


def tmpfs_bytes(size):
    """A tmpfs size= option (4k, 64m, 1g or bytes) in bytes, for bwrap --size."""
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    if size[-1:].lower() in units:
        return int(size[:-1]) * units[size[-1].lower()]
    return int(size)


def hutch_plan_lines(runner, hutch, perms):
    """The lines of `hutch run --dry-run PERMS -- true`: hutch's plan."""
    proc = runner.popen([hutch, "run", "--dry-run", *perms, "--", "true"],
                        stdout=subprocess.PIPE)
    out, _ = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit("bench: hutch --dry-run failed")
    return out.decode().splitlines()


def plan_has_seccomp(lines):
    """Whether the plan LINES apply a seccomp filter (a plan without one
    says "seccomp    off")."""
    return [ln for ln in lines if ln.startswith("seccomp")] != ["seccomp    off"]


def bwrap_same_plan(lines, per_sandbox=None, seccomp_fd=None):
    """bwrap doing the mounts of hutch's plan LINES (hutch_plan_lines): /etc
    and its masks, /opt, the /proc knobs, the desktop binds. PER_SANDBOX
    maps the name of each file hutch makes per sandbox (in its runtime
    directory) to a host file standing in for it. bwrap's --dev and --proc
    make what hutch's /dev and /proc ops make, so those map to one option
    each. With SECCOMP_FD, bwrap loads the filter read from it (see
    hutch_seccomp_filter)."""
    per_sandbox = per_sandbox or {}
    argv = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session"]
    if seccomp_fd is not None:
        argv += ["--seccomp", str(seccomp_fd)]
    dev_done = False
    for line in lines:
        kind, _, rest = line.partition(" ")
        rest = rest.strip()
        if kind == "bind":
            src, _, tail = rest.partition(" -> ")
            words = tail.split()
            dest = words[0]
            if src.startswith("$XDG_RUNTIME_DIR/hutch/"):
                src = per_sandbox[src.rsplit("/", 1)[1]]
            elif src == "/(empty file)":  # an /etc mask: hutch makes one per sandbox
                src = empty_file()
            if dest.startswith("/proc/"):
                continue  # --proc makes these read-only itself
            if dest.startswith("/dev/") and not dest.startswith("/dev/dri"):
                continue  # --dev binds the basic nodes itself
            opt = "--ro-bind" if "ro" in words[1:] else \
                "--dev-bind" if "dev" in words[1:] else "--bind"
            argv += [opt + ("-try" if "optional" in words else ""), src, dest]
        elif kind == "symlink":
            dest, _, target = rest.partition(" -> ")
            if not dest.startswith("/dev/"):
                argv += ["--symlink", target.split()[0], dest]
        elif kind == "mkdir":
            argv += ["--dir", rest.split()[0]]
        elif kind == "proc":
            argv += ["--proc", "/proc"]
        elif kind == "tmpfs":
            dest = rest.split()[0]
            opts = dict(o.partition("=")[::2] for o in rest.split()[1].strip("()").split(","))
            if dest == "/dev":
                argv += ["--dev", "/dev"]
                dev_done = True
            elif not dest.startswith("/dev/"):
                if "size" in opts:  # a mask's tiny tmpfs (mode=0000,size=4k)
                    argv += ["--size", str(tmpfs_bytes(opts["size"]))]
                argv += ["--perms", opts["mode"], "--tmpfs", dest]
        elif kind == "mqueue":
            argv += ["--mqueue", "/dev/mqueue"]
        elif kind == "remount-ro":
            argv += ["--remount-ro", rest.split()[0]]
        elif kind == "env" and "=" in rest:
            key, _, value = rest.partition("=")
            if key in ("DISPLAY", "XAUTHORITY", "PULSE_SERVER"):
                argv += ["--setenv", key, value]
    if not dev_done:
        raise SystemExit("bench: no /dev in hutch's plan")
    return argv + ["--", "true"]


def hutch_seccomp_filter(runner, hutch, perms, state):
    """A file holding the seccomp filter hutch loads for `hutch run PERMS
    -- true` (a copy of the seccomp.bpf a running sandbox keeps in its
    state directory), for bwrap --seccomp; in STATE."""
    name = f"bench-filter-{os.getpid()}"
    saved = os.path.join(runner.env["XDG_RUNTIME_DIR"], "hutch", name, "seccomp.bpf")
    proc = runner.popen([hutch, "run", "--name", name, *perms, "--", "sleep", "30"])
    try:
        for _ in range(500):  # written by rename: there means complete
            if os.path.exists(saved):
                copy = os.path.join(state, "hutch-seccomp.bpf")
                shutil.copyfile(saved, copy)
                return copy
            if proc.poll() is not None:
                break
            time.sleep(0.01)
        raise SystemExit("bench: hutch saved no seccomp filter")
    finally:
        proc.terminate()
        proc.wait()


def bwrap_same(runner, hutch, perms, state, per_sandbox=None):
    """(Runner, argv): the bwrap-same row of a benchmark, bwrap making the
    mounts of hutch's plan for PERMS (bwrap_same_plan) and loading hutch's
    own seccomp filter where hutch applies one, from an fd its own Runner
    hands every run. STATE: a directory for the filter's copy."""
    same = Runner(runner.user)
    lines = hutch_plan_lines(runner, hutch, perms)
    if not plan_has_seccomp(lines):
        return same, bwrap_same_plan(lines, per_sandbox)
    with open(hutch_seccomp_filter(runner, hutch, perms, state), "rb") as f:
        fd = os.dup(f.fileno())
    same.rewound_fds = (fd,)
    return same, bwrap_same_plan(lines, per_sandbox, seccomp_fd=fd)


def round_orders(names, runs):
    """The order of each round: a fresh shuffle per round, seeded so a run
    can be repeated. A fixed order biases the command that always comes
    after a heavy one (firejail's namespaces are torn down by kernel
    workers after it exits, on the same two cores as the next command):
    measured, the row after firejail lost 0.3 to 0.6 ms."""
    rng = random.Random(int(os.environ.get("HUTCH_BENCH_SEED", "19")))
    for _ in range(runs):
        order = list(names)
        rng.shuffle(order)
        yield order


_DAEMONS = set()


def reap_left_behind(patience=2.0):
    """Wait for and reap every process a run left to this subreaper,
    except daemons: one still running after PATIENCE seconds (hutch's id
    holder, started by the first launch) is one from then on, and not
    waited for again."""
    me = str(os.getpid())
    deadline = time.monotonic() + patience
    while True:
        while True:  # the exited ones
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    break
            except ChildProcessError:
                break
        left = set()
        for pid in os.listdir("/proc"):
            try:
                with open(f"/proc/{pid}/stat") as f:
                    if f.read().rsplit(")", 1)[1].split()[1] == me:
                        left.add(int(pid))
            except (OSError, ValueError, IndexError):
                pass
        left -= _DAEMONS
        remaining = deadline - time.monotonic()
        if not left:
            return
        if remaining <= 0:
            _DAEMONS.update(left)
            return
        fds = []
        for pid in left:
            try:
                fds.append(os.pidfd_open(pid))
            except OSError:
                pass  # gone since
        if fds:
            select.select(fds, [], [], remaining)
        for fd in fds:
            os.close(fd)


def timed_run(argv, env, rewound_fds=()):
    """(wall ms, CPU ms, exit status, stderr) for one run of ARGV. Wall is
    from just before the spawn to the command's exit; CPU is user + system
    time of every process the run started, the command's own and those it
    left to finish without it: run only in a spawner (_SPAWNER), a child
    subreaper with no other children, which reaps them all."""
    for fd in rewound_fds:
        os.lseek(fd, 0, os.SEEK_SET)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = now_ns()
    proc = subprocess.Popen(argv, env=env, cwd="/", stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            pass_fds=rewound_fds)
    err = proc.stderr.read()
    proc.stderr.close()
    _, status = os.waitpid(proc.pid, 0)
    wall = (now_ns() - start) / 1e6
    # bwrap exits as soon as its pid 1 reports the app's status, and that
    # pid 1, which made the sandbox's mounts and reaped the app, is left to
    # exit on its own: wait4 on bwrap counted neither. Left behind, they
    # came to this subreaper; their time counts once reaped.
    reap_left_behind()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1e3
    return wall, cpu, os.waitstatus_to_exitcode(status), err


# Each timed command is started by a spawner, a small Python process of its
# own running as the Runner's user:
# - As root, forking this Python process and changing to the test user in
#   the child put the fork of its address space (and the exec that tears it
#   down) into both numbers: Python does not vfork when it changes ids.
#   Measured as root, one run of 40: /usr/bin/true 3.57 -> 0.88 ms wall and
#   1.71 -> 0.61 ms CPU; the minimal bwrap 10.51 -> 6.51 and 3.92 -> 2.10.
#   Every row had about the same added, which flattered each ratio to bwrap.
# - As a child subreaper it gets what a command leaves running, and counts
#   its CPU (see timed_run): before, bwrap's CPU left out its sandbox's pid
#   1 and the app, which hutch's CPU always counted.
SPAWNER_PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
_SPAWNER = f"""
import ctypes, json, os, resource, select, subprocess, sys, time
PR_SET_CHILD_SUBREAPER = 36
if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
    sys.exit("bench spawner: cannot become a child subreaper")
now_ns = time.monotonic_ns
_DAEMONS = set()
{inspect.getsource(reap_left_behind)}
{inspect.getsource(timed_run)}
for line in sys.stdin:
    r = json.loads(line)
    wall, cpu, rc, err = timed_run(r["argv"], r["env"], tuple(r["fds"]))
    print(json.dumps({{"wall": wall, "cpu": cpu, "rc": rc, "err": err.decode("latin-1")}}),
          flush=True)
"""


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
        # Files each command inherits as these fds, read from the start by
        # every run (bwrap --seccomp FD reads its fd to the end).
        self.rewound_fds = ()
        self._spawner = None

    def popen(self, argv, **kw):
        if shutil.which(argv[0], path=USER_PATH) is None and not os.path.isfile(argv[0]):
            raise Missing(argv[0])
        kw.setdefault("stdin", subprocess.DEVNULL)
        kw.setdefault("stdout", subprocess.DEVNULL)
        kw.setdefault("stderr", subprocess.PIPE)
        kw.setdefault("pass_fds", self.rewound_fds)  # for the spawner
        return subprocess.Popen(argv, env=self.env, cwd="/", **self.ids, **kw)

    def time_once(self, argv):
        """(milliseconds, exit status, stderr) for one run of argv."""
        wall, _, rc, err = self.time_cpu_once(argv)
        return wall, rc, err

    def time_cpu_once(self, argv):
        """(wall ms, CPU ms, exit status, stderr) for one run of argv,
        started by this Runner's spawner (see _SPAWNER and timed_run): CPU
        is user + system time of every process the run started, setuid
        helpers, the sandbox's own processes and any left to exit after
        the command, but none of the bench's own."""
        if shutil.which(argv[0], path=USER_PATH) is None and not os.path.isfile(argv[0]):
            raise Missing(argv[0])
        if self._spawner is None:
            # Started on the first timed run: rewound_fds are set by then.
            self._spawner = self.popen(
                [SPAWNER_PYTHON, "-c", _SPAWNER], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=None)
            atexit.register(self._spawner.kill)
        request = {"argv": argv, "env": self.env, "fds": list(self.rewound_fds)}
        self._spawner.stdin.write((json.dumps(request) + "\n").encode())
        self._spawner.stdin.flush()
        reply = self._spawner.stdout.readline()
        if not reply:
            raise SystemExit(f"bench: the spawner of {self.user} died")
        r = json.loads(reply)
        return r["wall"], r["cpu"], r["rc"], r["err"].encode("latin-1")

    def bench_cpu(self, cmds, runs=50, warmup=5):
        """Like bench(), timing wall and CPU of each run: returns {name:
        (Samples of wall ms, Samples of CPU ms), or "missing"/"failed..."}."""
        def split(spec):
            return spec if isinstance(spec, tuple) else (self, spec)
        results = {}
        for name, spec in cmds.items():
            runner, argv = split(spec)
            try:
                for _ in range(warmup):
                    _, _, rc, err = runner.time_cpu_once(argv)
                    if rc != 0:
                        results[name] = "failed (warm-up) " + record_failure(name, rc, err)
                        break
                else:
                    results[name] = (Samples(), Samples())
            except Missing:
                results[name] = "missing"
        live = [n for n, r in results.items() if isinstance(r, tuple)]
        for order in round_orders(live, runs):
            for name in order:
                runner, argv = split(cmds[name])
                wall, cpu, rc, err = runner.time_cpu_once(argv)
                if rc != 0:
                    record_failure(name, rc, err)
                    results[name][0].failed += 1
                    continue
                results[name][0].append(wall)
                results[name][1].append(cpu)
        return results

    def host_rss(self, argv, app, settle=1.0):
        """RSS (kB) of each process of the sandbox started by argv that
        runs on the host's behalf, i.e. every process of its tree but the
        app itself (whose name is APP), sampled once after SETTLE seconds:
        [(name, RSS kB, PSS kB)], or None if argv failed. PSS divides each
        shared page (libc, GLib) among the processes that map it: what the
        sandbox really adds."""
        proc = self.popen(argv)
        time.sleep(settle)
        found = []
        todo = [proc.pid]
        while todo:
            pid = todo.pop(0)
            status = read_status(pid)
            try:
                with open(f"/proc/{pid}/comm") as f:
                    comm = f.read().strip()
                with open(f"/proc/{pid}/task/{pid}/children") as f:
                    todo += [int(c) for c in f.read().split()]
            except OSError:
                continue
            if comm != app:
                found.append((comm, status.get("VmRSS", 0), read_pss(pid)))
        _, err = proc.communicate()
        if proc.returncode != 0:
            record_failure(" ".join(argv[:2]) + " (memory)", proc.returncode, err)
            return None
        return found

    def bench(self, cmds, runs=50, warmup=5):
        """Time every command in cmds ({name: argv, or (Runner, argv) to run
        it as another user}) runs times after warmup runs, interleaved.
        Returns {name: Samples of ms, or "missing" or "failed: ..."}: a
        command that fails a warm-up run is not timed at all, and a timed
        run that fails is dropped (Samples.failed counts them); both are
        recorded for finish()."""
        def split(spec):
            return spec if isinstance(spec, tuple) else (self, spec)
        results = {}
        for name, spec in cmds.items():
            runner, argv = split(spec)
            try:
                for _ in range(warmup):
                    _, rc, err = runner.time_once(argv)
                    if rc != 0:
                        results[name] = "failed (warm-up) " + record_failure(name, rc, err)
                        break
                else:
                    results[name] = Samples()
            except Missing:
                results[name] = "missing"
        live = [n for n, r in results.items() if isinstance(r, list)]
        for order in round_orders(live, runs):
            for name in order:
                runner, argv = split(cmds[name])
                ms, rc, err = runner.time_once(argv)
                if rc != 0:
                    record_failure(name, rc, err)
                    results[name].failed += 1
                    continue
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
        _, err = proc.communicate()
        if proc.returncode != 0:
            record_failure(" ".join(argv[:2]) + " (memory)", proc.returncode, err)
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


def read_pss(pid):
    """/proc/PID/smaps_rollup's Pss in kB (0 if unreadable)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def percentile(samples, p):
    """Nearest-rank percentile p (0-100) of samples (nan if none)."""
    if not samples:
        return math.nan
    s = sorted(samples)
    k = max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))
    return s[k]


def median(samples):
    """Median of samples (nan if none: every run failed)."""
    if not samples:
        return math.nan
    s = sorted(samples)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def print_table(results, baseline="bwrap", title=None):
    """One line per command: median and p90 in ms of its successful runs,
    ratio to baseline, and how many failed runs were dropped."""
    if title:
        print(title)
    base = results.get(baseline)
    base_med = median(base) if isinstance(base, list) and base else None
    print(f"  {'':<10} {'median ms':>10} {'p90 ms':>8} {'vs ' + baseline:>9}")
    for name, r in results.items():
        failed = getattr(r, "failed", 0)
        dropped = f"  ({failed} failed run{'s' if failed > 1 else ''} dropped)" if failed else ""
        if not isinstance(r, list) or not r:
            print(f"  {name:<10} {r if r else 'no successful run'}{dropped}")
            continue
        med = median(r)
        ratio = f"{med / base_med:.2f}x" if base_med else "-"
        print(f"  {name:<10} {med:>10.2f} {percentile(r, 90):>8.2f} {ratio:>9}{dropped}")
