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
is exact where wall time is noise.  (The code is tools/bench_overhead.py's;
tools/bench runs it with the other overhead measurements.)
"""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pythons import interpreters  # noqa: E402
from bench_overhead import arguments, prepare, run_steady, instructions  # noqa: E402


def main():
    a = arguments(__doc__).parse_args()
    found = interpreters()
    print("| CPython | eager s | lazy s | lazy/eager | instr/iter eager | instr/iter lazy |")
    print("|---|---|---|---|---|---|")
    for ver in a.versions.split(","):
        if ver not in found:
            continue
        py = found[ver]
        work = tempfile.mkdtemp(prefix="bench_steady_")
        try:
            eager, lazy = prepare(py, a.lazyc, work)
            te, tl = [], []
            run_steady(py, eager, 1000), run_steady(py, lazy, 1000)   # warm-up
            for _ in range(a.runs):
                te.append(run_steady(py, eager, a.loops))
                tl.append(run_steady(py, lazy, a.loops))
            be, bl = min(te), min(tl)
            ie = il = "-"
            if a.callgrind and shutil.which("valgrind"):
                n1, n2 = 10_000, 60_000
                code = "import hot; hot.loop(1); hot.loop(%d)"
                ce = [instructions(py, eager, code % n) for n in (n1, n2)]
                cl = [instructions(py, lazy, code % n) for n in (n1, n2)]
                if None not in ce + cl:
                    ie = "%.1f" % ((ce[1] - ce[0]) / (n2 - n1))
                    il = "%.1f" % ((cl[1] - cl[0]) / (n2 - n1))
            print("| %s | %.4f | %.4f | %.3f | %s | %s |" % (ver, be, bl, bl / be, ie, il))
            sys.stdout.flush()
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
