#!/usr/bin/env python3
"""Steady-state cost of a lazily imported name, per CPython version.

    tools/bench_steady.py [--lazyc PATH] [--versions 3.8,3.11,...] [--runs N]
                          [--callgrind] [--loops N]

A module `hot` does `import dep` (made lazy by `lazyc rewrite --policy all`)
and runs a loop that reads `dep.VALUE` through the module global.  After the
first use the lazy name is an ordinary global; what is left is the guard:
nothing on 3.11+ (an exception-table entry), SETUP_FINALLY/POP_BLOCK on
3.8-3.10.  For each interpreter the same source is compiled once, copied to
an eager tree and a lazy tree, and both are timed interleaved (A B A B ...,
best of N runs each); the report is the lazy/eager time ratio.  With
--callgrind, instructions per loop iteration are counted with valgrind
(two loop lengths, the difference divided by the extra iterations), which
is exact where wall time is noise.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pythons import interpreters  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DEP = "VALUE = 1\n"
HOT = '''import dep
import time

def loop(n):
    total = 0
    for _ in range(n):
        total += dep.VALUE
    return total

def bench(n):
    loop(1)                      # first use: resolves the lazy import
    t = time.perf_counter()
    loop(n)
    return time.perf_counter() - t
'''


def pythons(wanted):
    found = interpreters()
    return [(v, found[v]) for v in wanted if v in found]


def prepare(py, lazyc, work):
    src = os.path.join(work, "src")
    os.makedirs(src)
    for name, text in (("dep.py", DEP), ("hot.py", HOT)):
        with open(os.path.join(src, name), "w") as f:
            f.write(text)
    subprocess.check_call([py, "-m", "compileall", "-q", src], stdout=subprocess.DEVNULL)
    eager, lazy = os.path.join(work, "eager"), os.path.join(work, "lazy")
    shutil.copytree(src, eager)
    shutil.copytree(src, lazy)
    subprocess.check_call([lazyc, "rewrite", "-q", "--policy", "all", lazy])
    return eager, lazy


def run(py, tree, n):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    out = subprocess.check_output([py, "-c", "import hot; print(hot.bench(%d))" % n], cwd=tree,
                                  env=env, universal_newlines=True)
    return float(out.strip())


def instructions(py, tree, n):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    with tempfile.TemporaryDirectory() as d:
        out = subprocess.run(["valgrind", "--tool=callgrind",
                              "--callgrind-out-file=" + os.path.join(d, "cg.out"),
                              py, "-S", "-c", "import hot; hot.loop(1); hot.loop(%d)" % n],
                             cwd=tree, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, universal_newlines=True).stderr
    m = re.search(r"Collected : (\d+)", out)
    return int(m.group(1)) if m else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lazyc", default=os.path.join(ROOT, "build", "rewriter", "lazyc"))
    ap.add_argument("--versions", default="3.8,3.9,3.10,3.11,3.12,3.13,3.14,3.15")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--loops", type=int, default=2_000_000)
    ap.add_argument("--callgrind", action="store_true")
    a = ap.parse_args()
    print("| CPython | eager s | lazy s | lazy/eager | instr/iter eager | instr/iter lazy |")
    print("|---|---|---|---|---|---|")
    for ver, py in pythons(a.versions.split(",")):
        work = tempfile.mkdtemp(prefix="bench_steady_")
        try:
            eager, lazy = prepare(py, a.lazyc, work)
            te, tl = [], []
            run(py, eager, 1000), run(py, lazy, 1000)   # warm-up
            for _ in range(a.runs):
                te.append(run(py, eager, a.loops))
                tl.append(run(py, lazy, a.loops))
            be, bl = min(te), min(tl)
            ie = il = "-"
            if a.callgrind and shutil.which("valgrind"):
                n1, n2 = 10_000, 60_000
                ce = [instructions(py, eager, n) for n in (n1, n2)]
                cl = [instructions(py, lazy, n) for n in (n1, n2)]
                if None not in ce + cl:
                    ie = "%.1f" % ((ce[1] - ce[0]) / (n2 - n1))
                    il = "%.1f" % ((cl[1] - cl[0]) / (n2 - n1))
            print("| %s | %.4f | %.4f | %.3f | %s | %s |" % (ver, be, bl, bl / be, ie, il))
            sys.stdout.flush()
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
