#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Check libhutch's layering on a build: no folder uses a symbol defined in a
folder above it, and no two source files use each other's symbols.

    layers.py BUILD_DIR SOURCE_DIR

The include paths already make an upward #include fail to compile (see
sandbox/meson.build); this catches what include paths cannot: an extern
declared below and defined above, and file-level cycles within a folder.
The allowed folders are read from each folder's meson.build ("May
include:" line), so the rule and its check have one source."""
import os
import re
import subprocess
import sys


def allowed_layers(src):
    allowed = {}
    for name in sorted(os.listdir(src)):
        build = os.path.join(src, name, "meson.build")
        if not os.path.isfile(build):
            continue
        with open(build) as f:
            m = re.search(r"^# May include: (.*)\.$", f.read(), re.M)
        if not m:
            continue
        words = m.group(1).replace("(and itself)", "").replace(",", " ").split()
        allowed[name] = set(w for w in words if w not in ("nothing", "of", "hutch")) | {name}
    return allowed


def objects(build, layer):
    """(object path, source file name) of LAYER's static libraries."""
    out = []
    layer_dir = os.path.join(build, "sandbox", layer)
    for root, _dirs, files in os.walk(layer_dir):
        if ".a.p" not in root:
            continue
        for f in files:
            if f.endswith(".c.o"):
                out.append((os.path.join(root, f), f[: -len(".o")]))
    return out


def nm(path, *flags):
    res = subprocess.run(["nm", *flags, path], capture_output=True, text=True, check=True)
    return res.stdout.splitlines()


def main():
    build, src = sys.argv[1], sys.argv[2]
    allowed = allowed_layers(src)
    if len(allowed) < 5:
        print(f"layers.py: found only {sorted(allowed)} in {src}")
        return 1
    defined = {}  # symbol -> (layer, file)
    undefined = {}  # (layer, file) -> symbols
    for layer in allowed:
        objs = objects(build, layer)
        if not objs:
            print(f"layers.py: no objects for {layer} under {build}")
            return 1
        for path, name in objs:
            for line in nm(path, "-g", "--defined-only"):
                parts = line.split()
                if len(parts) == 3:
                    defined[parts[2]] = (layer, name)
            undefined[(layer, name)] = {l.split()[-1] for l in nm(path, "-u")}
    problems = []
    uses = {}
    for (layer, name), syms in undefined.items():
        for sym in syms:
            where = defined.get(sym)
            if not where or where == (layer, name):
                continue
            if where[0] not in allowed[layer]:
                problems.append(f"{layer}/{name} uses {sym} from {where[0]}/{where[1]}, "
                                f"a folder {layer}/ may not use")
            uses.setdefault((layer, name), set()).add(where)
    for a, targets in uses.items():
        for b in targets:
            if a < b and a in uses.get(b, set()):
                problems.append(f"{a[0]}/{a[1]} and {b[0]}/{b[1]} use each other's functions")
    for p in problems:
        print(p)
    print(f"{len(defined)} symbols in {len(undefined)} files of {len(allowed)} folders: "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
