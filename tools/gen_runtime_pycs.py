#!/usr/bin/env python3
"""Compile rewriter/runtime/_lazyc_runtime.py with every interpreter 3.8-3.14.

    tools/gen_runtime_pycs.py [--check]

Writes rewriter/runtime/pyc/_lazyc_runtime.cpython-3X.pyc as each real
interpreter compiles it, with a checked-hash header (PEP 552): the pyc is
valid for exactly the source bytes lazyc writes beside it, whatever the
file's mtime.  lazyc embeds these files and writes the one matching a tree's
version to __pycache__, so rewritten modules never compile the runtime at
run time.  --check exits 1 if a committed pyc is missing or stale (the
build embeds only pycs whose source hash matches, so a stale one is also
harmless: lazyc then writes the source alone).
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pythons import interpreters  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "rewriter", "runtime", "_lazyc_runtime.py")
OUT = os.path.join(ROOT, "rewriter", "runtime", "pyc")
VERSIONS = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14"]

COMPILE = r'''
import importlib.util, marshal, sys
src_path, out = sys.argv[1], sys.argv[2]
data = open(src_path, "rb").read()
code = compile(data, "_lazyc_runtime.py", "exec", dont_inherit=True, optimize=0)
flags = 0b11   # hash-based, check_source
head = importlib.util.MAGIC_NUMBER + flags.to_bytes(4, "little") + importlib.util.source_hash(data)
open(out, "wb").write(head + marshal.dumps(code))
'''


def pythons():
    return interpreters()


def main():
    check = "--check" in sys.argv[1:]
    found = pythons()
    stale = []
    os.makedirs(OUT, exist_ok=True)
    for v in VERSIONS:
        py = found.get(v, "").strip()
        name = "_lazyc_runtime.cpython-%s.pyc" % v.replace(".", "")
        dest = os.path.join(OUT, name)
        if not py:
            print("gen_runtime_pycs: no interpreter for %s" % v, file=sys.stderr)
            stale.append(v)
            continue
        tmp = dest + ".new"
        subprocess.check_call([py, "-c", COMPILE, SRC, tmp])
        new = open(tmp, "rb").read()
        old = open(dest, "rb").read() if os.path.exists(dest) else None
        if check:
            os.unlink(tmp)
            if new != old:
                stale.append(v)
        else:
            os.replace(tmp, dest)
            print("gen_runtime_pycs: wrote %s (%d bytes)" % (os.path.relpath(dest, ROOT), len(new)))
    if stale:
        print("gen_runtime_pycs: stale or missing: %s (run tools/gen_runtime_pycs.py)"
              % ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
