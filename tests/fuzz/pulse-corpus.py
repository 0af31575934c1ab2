#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Writes the seed corpus of fuzz-pulse (tests/fuzz/corpus/pulse/): sessions
of the sound server's native protocol as apps and servers send them,
in fuzz-pulse.c's input format (byte 0: flags; then chunks of a header
byte, bit 7 set for the server, bits 0-6 the length - 1, and the bytes).

    tests/fuzz/pulse-corpus.py
"""

import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "pulse")

ERROR, REPLY = 0, 2
CMD = dict(create_playback=3, delete_playback=4, create_record=5, exit=7, auth=8,
           client_name=9, stat=13, server_info=20, sink_info_list=22, module_list=26,
           client_info=27, sink_input_info=29, subscribe=35, sink_volume=36,
           sink_input_volume=37, cork=41, default_sink=44, kill_client=48,
           load_module=51, unload_module=52, request=61, subscribe_event=66,
           move_sink_input=67, sink_input_mute=69, extension=87, card_profile=90,
           memfd=103, killed=64)


def u32(v):
    return b"L" + struct.pack(">I", v)


def string(s):
    return b"t" + s.encode() + b"\0"


def arbitrary(b):
    return b"x" + struct.pack(">I", len(b)) + b


def proplist(pairs):
    out = b"P"
    for k, v in pairs:
        v = v.encode() + b"\0"
        out += string(k) + u32(len(v)) + arbitrary(v)
    return out + b"N"


def frame(body, channel=0xFFFFFFFF, flags=0):
    return struct.pack(">IIIII", len(body), channel, 0, 0, flags) + body


def command(cmd, tag, *args):
    return frame(u32(cmd) + u32(tag) + b"".join(args))


def auth(tag=0, version=35 | 0x80000000 | 0x40000000):
    return command(CMD["auth"], tag, u32(version), arbitrary(bytes(256)))


def audio(channel, n):
    return frame(bytes((i * 37) & 0xFF for i in range(n)), channel=channel)


def encode(record, steps):
    """steps: (side, bytes); side "c" for the app, "s" for the server."""
    out = bytearray([1 if record else 0])
    for side, data in steps:
        for i in range(0, len(data), 128):
            chunk = data[i:i + 128]
            out.append((0x80 if side == "s" else 0) | (len(chunk) - 1))
            out += chunk
    return bytes(out)


def handshake():
    return [("c", auth()), ("s", command(REPLY, 0, u32(35))),
            ("c", command(CMD["client_name"], 1, proplist([("application.name", "paplay")]))),
            ("s", command(REPLY, 1, u32(12)))]


def playback():
    spec = b"a" + bytes([3, 2]) + struct.pack(">I", 44100)
    return handshake() + [
        ("c", command(CMD["create_playback"], 2, spec, u32(0xFFFFFFFF), string("hutchnull"))),
        ("s", command(REPLY, 2, u32(0), u32(7), u32(4096))),
        ("s", command(CMD["request"], 0xFFFFFFFF, u32(0), u32(4096))),
        ("c", audio(0, 300)),
        ("c", command(CMD["sink_input_volume"], 3, u32(7), b"v\x02" + bytes(8))),
        ("c", command(CMD["sink_input_mute"], 4, u32(7), b"1")),
        ("c", command(CMD["cork"], 5, u32(0), b"1")),
        ("c", command(CMD["delete_playback"], 6, u32(0))),
        ("s", command(REPLY, 6)),
    ]


def attacks():
    return handshake() + [
        ("c", command(CMD["load_module"], 2, string("module-ladspa-sink"),
                      string("plugin=/home/u/fx.so label=x"))),
        ("c", command(CMD["unload_module"], 3, u32(0))),
        ("c", command(CMD["default_sink"], 4, u32(0xFFFFFFFF), string("other"))),
        ("c", command(CMD["move_sink_input"], 5, u32(3), u32(0), string("other"))),
        ("c", command(CMD["kill_client"], 6, u32(1))),
        ("c", command(CMD["exit"], 7)),
        ("c", command(CMD["extension"], 8, u32(0xFFFFFFFF), string("module-stream-restore"))),
        ("c", command(CMD["card_profile"], 9, u32(0), string(""), string("off"))),
        ("c", command(CMD["memfd"], 10, u32(1), u32(2))),
        ("c", command(CMD["module_list"], 11)),
    ]


def record():
    spec = b"a" + bytes([3, 2]) + struct.pack(">I", 48000)
    return handshake() + [
        ("c", command(CMD["create_record"], 2, spec, u32(0xFFFFFFFF), string("hutchnull.monitor"))),
        ("s", command(REPLY, 2, u32(0), u32(9))),
        ("s", audio(0, 500)),
        ("s", command(CMD["killed"], 0xFFFFFFFF, u32(0))),
        ("c", command(CMD["sink_input_info"], 3, u32(9))),
    ]


def info():
    return handshake() + [
        ("c", command(CMD["server_info"], 2)),
        ("c", command(CMD["sink_info_list"], 3)),
        ("c", command(CMD["subscribe"], 4, u32(0x2FF))),
        ("s", command(REPLY, 3, u32(0), string("hutchnull"), string("Null Output"))),
        ("s", command(CMD["subscribe_event"], 0xFFFFFFFF, u32(0x12), u32(3))),
        ("c", command(CMD["stat"], 5)),
        ("s", command(ERROR, 5, u32(1))),
    ]


def main():
    os.makedirs(OUT, exist_ok=True)
    seeds = {
        "playback": encode(False, playback()),
        "attacks": encode(False, attacks()),
        "record-granted": encode(True, record()),
        "record-refused": encode(False, record()),
        "info": encode(False, info()),
        "late-auth": encode(False, [("c", command(CMD["server_info"], 1)), ("c", auth(2))]),
        "shm-flags": encode(False, handshake() + [("c", frame(bytes(16), 0, 0x80000000))]),
    }
    for name, data in seeds.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
