#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""pulse-kill.py client|sink-input INDEX: ask the sound server (as libpulse
finds it) to kill a client or a stream; pactl has no such command. Prints
"ok" and exits 0, or prints the server's error and exits 1."""

import ctypes
import sys

READY, FAILED, TERMINATED = 4, 5, 6
OP_RUNNING = 0


def main():
    what, index = sys.argv[1], int(sys.argv[2])
    pa = ctypes.CDLL("libpulse.so.0")
    for name in ("pa_mainloop_new", "pa_mainloop_get_api", "pa_context_new",
                 "pa_context_kill_client", "pa_context_kill_sink_input", "pa_strerror"):
        getattr(pa, name).restype = ctypes.c_void_p
    pa.pa_mainloop_get_api.argtypes = [ctypes.c_void_p]
    pa.pa_context_new.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    pa.pa_context_connect.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_void_p]
    pa.pa_context_get_state.argtypes = [ctypes.c_void_p]
    pa.pa_context_errno.argtypes = [ctypes.c_void_p]
    pa.pa_mainloop_iterate.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p]
    pa.pa_operation_get_state.argtypes = [ctypes.c_void_p]
    pa.pa_strerror.restype = ctypes.c_char_p
    for name in ("pa_context_kill_client", "pa_context_kill_sink_input"):
        getattr(pa, name).argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_void_p,
                                      ctypes.c_void_p]
    loop = pa.pa_mainloop_new()
    ctx = pa.pa_context_new(pa.pa_mainloop_get_api(loop), b"pulse-kill")
    pa.pa_context_connect(ctx, None, 0, None)
    while pa.pa_context_get_state(ctx) not in (READY, FAILED, TERMINATED):
        pa.pa_mainloop_iterate(loop, 1, None)
    if pa.pa_context_get_state(ctx) != READY:
        print(pa.pa_strerror(pa.pa_context_errno(ctx)).decode())
        return 1
    kill = pa.pa_context_kill_client if what == "client" else pa.pa_context_kill_sink_input
    op = kill(ctx, index, None, None)
    while pa.pa_operation_get_state(op) == OP_RUNNING:
        pa.pa_mainloop_iterate(loop, 1, None)
    err = pa.pa_context_errno(ctx)
    print(pa.pa_strerror(err).decode() if err else "ok")
    return 1 if err else 0


if __name__ == "__main__":
    sys.exit(main())
