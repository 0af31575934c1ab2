#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Small network clients and servers for the net suite, run inside and
outside sandboxes. Clients print what they got, or the errno's name, and
exit 0 on success, 1 on failure:

    netprobe.py get URL              HTTP GET: the body
    netprobe.py connect HOST PORT    TCP connect: "ok" or e.g. "ECONNREFUSED"
    netprobe.py udp HOST PORT        one datagram to an echo server: the echo
    netprobe.py ping HOST            one ICMP echo through a ping socket
    netprobe.py resolve NAME         the first address getaddrinfo gives
    netprobe.py abstract NAME        connect to the abstract unix socket @NAME
    netprobe.py listed NAME          "yes" if /proc/net/unix shows @NAME

Servers (run in the background by the tests, until killed):

    netprobe.py http-server ADDR PORT DIR
    netprobe.py udp-echo ADDR PORT
    netprobe.py abstract-server NAME
"""
import errno
import functools
import http.server
import os
import socket
import struct
import sys
import urllib.request

TIMEOUT = 5


def fail(exc):
    code = getattr(exc, "errno", None)
    if code is None and isinstance(getattr(exc, "reason", None), OSError):
        code = exc.reason.errno
    if isinstance(exc, (socket.timeout, TimeoutError)):
        name = "ETIMEDOUT"
    else:
        name = errno.errorcode.get(code, str(exc)) if code else str(exc)
    print(name)
    return 1


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def get(url):
    with urllib.request.urlopen(url, timeout=TIMEOUT) as r:
        sys.stdout.buffer.write(r.read())
    return 0


def connect(host, port):
    # getaddrinfo keeps a link-local address's %IFACE as the scope id.
    fam, kind, proto, _, addr = socket.getaddrinfo(host, int(port), type=socket.SOCK_STREAM)[0]
    with socket.socket(fam, kind, proto) as s:
        s.settimeout(TIMEOUT)
        s.connect(addr)
    print("ok")
    return 0


def udp(host, port):
    with socket.socket(family(host), socket.SOCK_DGRAM) as s:
        s.settimeout(TIMEOUT)
        s.sendto(b"hutch-udp", (host, int(port)))
        print(s.recv(512).decode())
    return 0


def ping(host):
    """Up to 5 echo requests a second apart, as ping does: a fresh link may
    drop the first while neighbours are still being discovered."""
    fam = family(host)
    proto = socket.IPPROTO_ICMPV6 if fam == socket.AF_INET6 else socket.IPPROTO_ICMP
    request = 128 if fam == socket.AF_INET6 else 8
    with socket.socket(fam, socket.SOCK_DGRAM, proto) as s:
        s.settimeout(1)
        for seq in range(1, 6):
            s.sendto(struct.pack("!BBHHH", request, 0, 0, 0, seq) + b"hutch", (host, 0))
            try:
                data = s.recv(512)
                break
            except (socket.timeout, TimeoutError):
                if seq == 5:
                    raise
    print("reply" if data[0] in (0, 129) else f"type {data[0]}")
    return 0


def resolve(name):
    print(socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)[0][4][0])
    return 0


def abstract(name):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(TIMEOUT)
        s.connect("\0" + name)
    print("ok")
    return 0


def listed(name):
    with open("/proc/net/unix") as f:
        found = any(line.split()[-1] == "@" + name for line in f if len(line.split()) > 7)
    print("yes" if found else "no")
    return 0


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves DIR quietly; notes each answered path in DIR.log, so a test
    can tell that a client (a browser) really fetched a page."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        super().do_GET()
        with open(self.directory.rstrip("/") + ".log", "a") as log:
            log.write(self.path + "\n")


def http_server(addr, port, directory):
    handler = functools.partial(QuietHandler, directory=directory)
    server_class = http.server.ThreadingHTTPServer
    server_class.address_family = family(addr)
    server_class((addr, int(port)), handler).serve_forever()


def udp_echo(addr, port):
    with socket.socket(family(addr), socket.SOCK_DGRAM) as s:
        s.bind((addr, int(port)))
        while True:
            data, peer = s.recvfrom(512)
            s.sendto(data, peer)


def abstract_server(name):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.bind("\0" + name)
        s.listen(8)
        while True:
            s.accept()[0].close()


COMMANDS = {
    "get": get, "connect": connect, "udp": udp, "ping": ping, "resolve": resolve,
    "abstract": abstract, "listed": listed, "http-server": http_server,
    "udp-echo": udp_echo, "abstract-server": abstract_server,
}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        return COMMANDS[sys.argv[1]](*sys.argv[2:])
    except (OSError, ValueError) as exc:
        return fail(exc)


if __name__ == "__main__":
    sys.exit(main())
