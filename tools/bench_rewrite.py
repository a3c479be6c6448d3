#!/usr/bin/env python3
"""How fast `lazyc rewrite` is, next to CPython's marshal on the same files.

    tools/bench_rewrite.py [--python PY] [--tree DIR] [--runs N] [--lazyc PATH]

The input is every pyc of DIR (default: PY's site-packages, compiled by PY
into a scratch copy that holds the pycs only).  Each run rewrites a fresh
copy in place with `lazyc rewrite --policy auto -q -j J` for J = 1 and J =
all cores (wall time, CPU time, peak RSS from the child's rusage); the
baseline, in the same run, is PY doing marshal.loads + marshal.dumps of
every code object of the same files (data already in memory, one core).
Reports files/s, MB/s (input bytes), MB/s per core and the ratios.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pythons import interpreters  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

MARSHAL = r'''
import marshal, sys, time
paths = [l.rstrip("\n") for l in open(sys.argv[1])]
blobs = [open(p, "rb").read()[16:] for p in paths]
best = None
for _ in range(int(sys.argv[2])):
    t = time.perf_counter()
    for b in blobs:
        marshal.dumps(marshal.loads(b))
    d = time.perf_counter() - t
    best = d if best is None or d < best else best
print(best)
'''


def default_python():
    return interpreters().get("3.11", "")


def pyc_tree(py, work):
    """PY's site-packages compiled, reduced to its pycs."""
    src = subprocess.check_output([py, "-c", "import site, sys; "
                                   "sys.stdout.write(site.getsitepackages()[0])"],
                                  universal_newlines=True)
    full = os.path.join(work, "full")
    subprocess.check_call(["cp", "-a", src, full])
    subprocess.call([py, "-m", "compileall", "-q", "-j", "0", full],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tree = os.path.join(work, "pycs")
    for d, _, files in os.walk(full):
        for f in files:
            if f.endswith(".pyc"):
                dest = os.path.join(tree, os.path.relpath(d, full))
                os.makedirs(dest, exist_ok=True)
                shutil.copy2(os.path.join(d, f), dest)
    shutil.rmtree(full)
    return tree


def pycs_of(tree):
    return sorted(os.path.join(d, f) for d, _, fs in os.walk(tree) for f in fs
                  if f.endswith(".pyc"))


def rewrite_once(lazyc, tree, work, jobs):
    copy = os.path.join(work, "run")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(tree, copy)
    t = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.execv(lazyc, [lazyc, "rewrite", "-q", "--policy", "auto", "-j", str(jobs), copy])
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t
    if status != 0:
        raise SystemExit("lazyc rewrite failed with status %d" % status)
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--python", default=default_python())
    ap.add_argument("--tree")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--lazyc", default=os.path.join(ROOT, "build", "rewriter", "lazyc"))
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="bench_rewrite_")
    try:
        tree = a.tree or pyc_tree(a.python, work)
        files = pycs_of(tree)
        size = sum(os.path.getsize(p) for p in files)
        mb = size / 1e6
        cores = os.cpu_count() or 1
        listing = os.path.join(work, "files.txt")
        with open(listing, "w") as f:
            f.write("\n".join(files) + "\n")
        rows = []
        for jobs in sorted({1, cores}):
            runs = [rewrite_once(a.lazyc, tree, work, jobs) for _ in range(a.runs)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            rss = max(r[2] for r in runs)
            rows.append((jobs, wall, cpu, rss))
        marshal_s = float(subprocess.check_output([a.python, "-c", MARSHAL, listing,
                                                   str(a.runs)], universal_newlines=True))
        print("%d pycs, %.1f MB (%s); %d cores" % (len(files), mb, a.tree or "site-packages of "
                                                   + a.python, cores))
        print("| run | wall s | CPU s | files/s | MB/s | MB/s per core | peak RSS MiB |")
        print("|---|---|---|---|---|---|---|")
        for jobs, wall, cpu, rss in rows:
            print("| lazyc rewrite -j %d | %.2f | %.2f | %.0f | %.1f | %.1f | %.1f |" % (
                jobs, wall, cpu, len(files) / wall, mb / wall, mb / cpu, rss / 1024))
        print("| %s marshal.loads+dumps | %.2f | %.2f | %.0f | %.1f | %.1f | - |" % (
            os.path.basename(a.python), marshal_s, marshal_s, len(files) / marshal_s,
            mb / marshal_s, mb / marshal_s))
        print("ratio lazyc -j1 CPU / marshal: %.2f; lazyc -j%d wall / marshal: %.2f"
              % (rows[0][2] / marshal_s, rows[-1][0], rows[-1][1] / marshal_s))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
