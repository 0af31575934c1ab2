#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Run a command on a new pseudo-terminal, as its controlling terminal, the
way a user at a terminal starts it; print what it wrote and exit with its
status (128+N when killed by signal N).

    pty-run.py [ACTION...] [--] CMD [ARG...]

Actions, done in order while the command runs (TEXT takes Python escapes:
\\n, \\r, \\x03 for ^C, \\x1a for ^Z):

    --winsize ROWSxCOLS  the terminal's size from the start
    --wait TEXT          until the output (since the last --wait) holds TEXT
    --send TEXT          type TEXT
    --resize ROWSxCOLS   change the size (the foreground gets SIGWINCH)
    --signal NAME        send signal NAME (TERM, HUP, ...) to the command
    --sleep SECONDS
    --after-exit TEXT    once the command has ended, type TEXT on the same
                         terminal for whoever still holds it
    --termios            say on stderr whether the command left the
                         terminal's settings as it found them
"""

import fcntl
import os
import select
import signal
import struct
import sys
import termios
import time

TIMEOUT = 20


def unescape(text):
    return text.encode().decode("unicode_escape").encode("latin-1")


def set_size(fd, spec):
    rows, cols = (int(v) for v in spec.split("x"))
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


class Terminal:
    def __init__(self, argv, size):
        self.master, slave = os.openpty()
        if size:
            set_size(slave, size)
        self.pid = os.fork()
        if self.pid == 0:
            try:
                os.close(self.master)
                os.setsid()
                fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
                for fd in (0, 1, 2):
                    os.dup2(slave, fd)
                if slave > 2:
                    os.close(slave)
                os.execvp(argv[0], argv)
            finally:
                os._exit(127)
        os.close(slave)
        self.out = bytearray()
        self.mark = 0
        self.status = None
        self.settings = termios.tcgetattr(self.master)

    def pump(self, timeout):
        """Read what is there (waiting up to TIMEOUT); False at the end."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 4096)
        except OSError:  # EIO: no process holds the other side any more
            return False
        self.out += chunk
        return bool(chunk)

    def reap(self):
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid == self.pid:
                self.status = status
        return self.status is not None

    def wait_for(self, text):
        deadline = time.monotonic() + TIMEOUT
        while text not in self.out[self.mark:]:
            if time.monotonic() > deadline or (not self.pump(0.1) and self.reap()):
                sys.stderr.write("pty-run: never saw %r\n" % text)
                break
        found = self.out.find(text, self.mark)
        self.mark = found + len(text) if found >= 0 else len(self.out)

    def finish(self):
        """Until the command has ended and its output is read."""
        deadline = time.monotonic() + TIMEOUT * 3
        while not self.reap() and time.monotonic() < deadline:
            self.pump(0.1)
        # What is left; a process still holding the terminal keeps it open,
        # so stop once nothing more comes.
        while select.select([self.master], [], [], 0.2)[0]:
            length = len(self.out)
            if not self.pump(0) or len(self.out) == length:
                break
        if self.status is None:
            os.kill(self.pid, signal.SIGKILL)
            _, self.status = os.waitpid(self.pid, 0)


def main():
    args = sys.argv[1:]
    actions, size, check_settings = [], None, False
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--":
            break
        if opt == "--termios":
            check_settings = True
        elif opt == "--winsize":
            size = args.pop(0)
        else:
            actions.append((opt, args.pop(0)))
    term = Terminal(args, size)
    for opt, value in actions:
        if opt == "--wait":
            term.wait_for(unescape(value))
        elif opt == "--send":
            os.write(term.master, unescape(value))
        elif opt == "--resize":
            set_size(term.master, value)
        elif opt == "--signal":
            os.kill(term.pid, getattr(signal, "SIG" + value))
        elif opt == "--sleep":
            end = time.monotonic() + float(value)
            while time.monotonic() < end:
                term.pump(0.05)
    term.finish()
    after = [v for o, v in actions if o == "--after-exit"]
    if check_settings:
        same = termios.tcgetattr(term.master) == term.settings
        sys.stderr.write("pty-run: terminal settings %s\n" % ("restored" if same else "changed"))
    for text in after:
        try:
            os.write(term.master, unescape(text))
        except OSError:
            pass
        time.sleep(1.5)
    sys.stdout.write(term.out.decode(errors="replace"))
    status = term.status
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


if __name__ == "__main__":
    sys.exit(main())
