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
    netprobe.py make-torrent FILE URL OUT
                                     a single-file .torrent of FILE whose one
                                     source is the web seed URL (BEP 19)

Servers (run in the background by the tests, until killed):

    netprobe.py http-server ADDR PORT DIR
    netprobe.py udp-echo ADDR PORT
    netprobe.py abstract-server NAME
    netprobe.py irc-watch ADDR PORT CHANNEL
                                     an IRC client that joins CHANNEL, prints
                                     every line the server sends, and sends a
                                     CTCP PING to each nick that joins
"""
import errno
import functools
import hashlib
import http.server
import os
import re
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
        if self.headers.get("Range"):
            self.send_range()
        else:
            super().do_GET()
        with open(self.directory.rstrip("/") + ".log", "a") as log:
            log.write(self.path + "\n")

    def send_range(self):
        """One byte range (RFC 9110 14.1.2), as web seeds ask for pieces."""
        path = self.translate_path(self.path)
        m = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers["Range"].strip())
        if not m or not os.path.isfile(path):
            self.send_error(416 if m else 404)
            return
        size = os.path.getsize(path)
        first = int(m.group(1))
        last = min(int(m.group(2)) if m.group(2) else size - 1, size - 1)
        if first > last:
            self.send_error(416)
            return
        with open(path, "rb") as f:
            f.seek(first)
            data = f.read(last - first + 1)
        self.send_response(206)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


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


def bencode(v):
    if isinstance(v, int):
        return b"i%de" % v
    if isinstance(v, str):
        v = v.encode()
    if isinstance(v, bytes):
        return b"%d:%s" % (len(v), v)
    if isinstance(v, list):
        return b"l" + b"".join(map(bencode, v)) + b"e"
    return b"d" + b"".join(bencode(k) + bencode(v[k]) for k in sorted(v)) + b"e"


def make_torrent(path, url, out):
    piece = 256 * 1024
    pieces = b""
    with open(path, "rb") as f:
        while chunk := f.read(piece):
            pieces += hashlib.sha1(chunk).digest()
    info = {"name": os.path.basename(path), "length": os.path.getsize(path),
            "piece length": piece, "pieces": pieces}
    with open(out, "wb") as f:
        f.write(bencode({"info": info, "url-list": [url], "created by": "netprobe.py"}))
    return 0


def irc_watch(addr, port, channel):
    nick = "watcher"
    with socket.create_connection((addr, int(port))) as s:
        s.sendall(f"NICK {nick}\r\nUSER {nick} 0 * :suite watcher\r\n".encode())
        for line in s.makefile("r", encoding="utf-8", errors="replace", newline="\r\n"):
            line = line.rstrip("\r\n")
            print(line, flush=True)
            words = line.split(" ")
            if words[0] == "PING":
                s.sendall(f"PONG {words[1]}\r\n".encode())
            elif len(words) > 1 and words[1] == "001":
                s.sendall(f"JOIN {channel}\r\n".encode())
            elif len(words) > 1 and words[1] == "JOIN":
                who = words[0].lstrip(":").split("!")[0]
                if who != nick:
                    s.sendall(f"PRIVMSG {who} :\x01PING hutch-{who}\x01\r\n".encode())
    return 0


COMMANDS = {
    "get": get, "connect": connect, "udp": udp, "ping": ping, "resolve": resolve,
    "abstract": abstract, "listed": listed, "http-server": http_server,
    "udp-echo": udp_echo, "abstract-server": abstract_server,
    "make-torrent": make_torrent, "irc-watch": irc_watch,
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
