#!/usr/bin/env python3
"""How fast `lazyc rewrite` is, next to CPython's marshal on the same files.

    tools/bench_rewrite.py [--python PY] [--tree DIR] [--sources DIR] [--runs N]
                           [--lazyc PATH]      (also run by tools/bench)

The input is every pyc of DIR (default: PY's site-packages, compiled by PY
into a scratch copy that holds the pycs only).  Each run rewrites a fresh
copy in place with `lazyc rewrite --policy auto -q -j J` for J = 1 and J =
all cores (wall time, CPU time, peak RSS from the child's rusage), and with
all cores on the first 1/8, 1/4, 1/2 of the files (how time grows); the
baselines, in the same run, are PY doing marshal.loads + marshal.dumps of
every code object of the same files (data already in memory, one core) and
`PY -m compileall -f` of the sources (into a scratch pycache prefix, -j 1
and -j N).  Reports files/s, MB/s (input bytes), peak RSS.
"""
import argparse
import os
import re
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


def site_dir(py):
    return subprocess.check_output([py, "-c", "import site, sys; "
                                    "sys.stdout.write(site.getsitepackages()[0])"],
                                   universal_newlines=True)


def pyc_tree(py, work):
    """PY's site-packages compiled, reduced to its pycs."""
    src = site_dir(py)
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


def _timed(argv, env=None):
    """(wall s, CPU s of the child and its waited-for children, peak RSS KiB, status)."""
    t = time.perf_counter()
    p = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = status
    return time.perf_counter() - t, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, status


def _subset_tree(files, root, dest):
    """DEST: a copy of FILES (pycs under ROOT), relative paths kept."""
    shutil.rmtree(dest, ignore_errors=True)
    for path in files:
        d = os.path.join(dest, os.path.relpath(os.path.dirname(path), root))
        os.makedirs(d, exist_ok=True)
        shutil.copy2(path, d)
    return dest


def measure(lazyc, py, pyc_root, src_root, work, runs=3, exclude=None,
            fractions=(0.125, 0.25, 0.5, 1.0), compileall=True, compileall_runs=None):
    """lazyc rewrite (--policy auto, in place on a fresh copy, median of RUNS)
    over the pycs below PYC_ROOT (the site-packages directory of a prefix
    tree is skipped when PYC_ROOT is a stdlib), for 1 and N threads on the
    whole tree and N threads on the first FRACTIONS of its files (sorted by
    path, so packages stay together); PY's marshal.loads+dumps of the same
    files; PY -m compileall -f of the sources below SRC_ROOT (into a scratch
    pycache prefix; -j 1 and -j N; COMPILEALL_RUNS runs, default RUNS).
    Returns a dict for the JSON."""
    os.makedirs(work, exist_ok=True)
    files = [p for p in pycs_of(pyc_root) if exclude is None or
             not re.search(exclude, os.path.relpath(p, os.path.dirname(pyc_root)))]
    cores = os.cpu_count() or 1
    out = {"python": py, "files": len(files), "mb": sum(os.path.getsize(p) for p in files) / 1e6,
           "cores": cores, "runs": runs, "compileall_runs": compileall_runs or runs, "lazyc": [],
           "growth": []}
    run_dir = os.path.join(work, "run")

    def rewrite(tree, jobs):
        got = []
        for _ in range(runs):
            shutil.rmtree(run_dir, ignore_errors=True)
            subprocess.check_call(["cp", "-a", tree, run_dir])
            w, c, rss, st = _timed([lazyc, "rewrite", "-q", "--policy", "auto", "-j", str(jobs),
                                    run_dir])
            if st != 0:
                raise SystemExit("lazyc rewrite failed (status %d) on %s" % (st, tree))
            got.append((w, c, rss))
        return {"jobs": jobs, "wall_s": statistics.median(g[0] for g in got),
                "cpu_s": statistics.median(g[1] for g in got),
                "peak_rss_kib": max(g[2] for g in got)}

    full = _subset_tree(files, pyc_root, os.path.join(work, "input"))
    for jobs in sorted({1, cores}):
        r = rewrite(full, jobs)
        r["files_per_s"] = len(files) / r["wall_s"]
        r["mb_per_s"] = out["mb"] / r["wall_s"]
        out["lazyc"].append(r)
    for frac in fractions:
        n = max(1, int(round(len(files) * frac)))
        part = files[:n]
        tree = full if n == len(files) else _subset_tree(part, pyc_root,
                                                          os.path.join(work, "part"))
        r = rewrite(tree, cores)
        r.update(fraction=frac, files=n, mb=sum(os.path.getsize(p) for p in part) / 1e6)
        out["growth"].append(r)
    listing = os.path.join(work, "files.txt")
    with open(listing, "w") as f:
        f.write("\n".join(files) + "\n")
    m = float(subprocess.check_output([py, "-c", MARSHAL, listing, str(max(runs, 3))],
                                      universal_newlines=True))
    out["marshal"] = {"wall_s": m, "files_per_s": len(files) / m, "mb_per_s": out["mb"] / m}
    out["compileall"] = []
    if compileall:
        for jobs in sorted({1, cores}):
            scratch = os.path.join(work, "compileall")
            got = []
            for _ in range(compileall_runs or runs):
                shutil.rmtree(scratch, ignore_errors=True)
                env = dict(os.environ, PYTHONPYCACHEPREFIX=scratch)
                env.pop("PYTHONDONTWRITEBYTECODE", None)
                w, c, rss, _ = _timed([py, "-m", "compileall", "-q", "-f", "-j", str(jobs)]
                                      + (["-x", exclude] if exclude else []) + [src_root],
                                      env=env)
                got.append((w, c, rss))
            n = sum(1 for p in pycs_of(scratch) if p.endswith(".pyc"))
            shutil.rmtree(scratch, ignore_errors=True)
            w = statistics.median(g[0] for g in got)
            out["compileall"].append({"jobs": jobs, "wall_s": w,
                                      "cpu_s": statistics.median(g[1] for g in got),
                                      "peak_rss_kib": max(g[2] for g in got), "files": n,
                                      "files_per_s": n / w})
    shutil.rmtree(run_dir, ignore_errors=True)
    shutil.rmtree(os.path.join(work, "input"), ignore_errors=True)
    shutil.rmtree(os.path.join(work, "part"), ignore_errors=True)
    return out


WHEEL_TODO = ("TODO: `lazyc wheel` vs unzip + compileall + zip - `lazyc wheel --help` did not "
              "work when this ran (%s); rerun tools/bench once the wheel command is finished.")


def wheel_comparison(lazyc, found, work, runs=3):
    """`lazyc wheel` on pip's wheel (the newest ensurepip bundle) vs what a
    user does by hand: unzip, python -m compileall, zip.  A TODO when the
    wheel command does not work yet."""
    probe = subprocess.run([lazyc, "wheel", "--help"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, universal_newlines=True)
    if probe.returncode != 0:
        line = [l for l in probe.stdout.strip().split("\n") if l.strip()]
        return {"todo": WHEEL_TODO % ((line[-1] if line else "exit %d" % probe.returncode)
                                      .replace("|", "/"))}
    import bench_startup
    whl = bench_startup._pip_wheel(found)
    py = found.get("3.11") or next(iter(found.values()))
    if not whl:
        return {"todo": "TODO: no wheel on the machine for the lazyc wheel comparison"}
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    lz = [_timed([lazyc, "wheel", "--python", py, "--policy", "auto", "-w",
                  os.path.join(work, "out%d" % i), whl]) for i in range(runs)]
    hand = os.path.join(work, "hand.sh")
    with open(hand, "w") as f:
        f.write('set -e\nd=$(mktemp -d)\ncd "$d"\nunzip -q "$1"\n"$2" -m compileall -q -j 0 .\n'
                'zip -q -r "$3" .\ncd /\nrm -rf "$d"\n')
    hd = [_timed(["sh", hand, whl, py, os.path.join(work, "hand%d.whl" % i)]) for i in range(runs)]
    def size(pattern_dir):
        got = [os.path.join(d, f) for d, _, fs in os.walk(pattern_dir) for f in fs
               if f.endswith(".whl")]
        return os.path.getsize(got[0]) if got else None
    return {"wheel": os.path.basename(whl), "python": py, "input_bytes": os.path.getsize(whl),
            "lazyc_wheel_bytes": size(os.path.join(work, "out0")),
            "hand_bytes": os.path.getsize(os.path.join(work, "hand0.whl")),
            "note": "lazyc wheel: compile, rewrite, sourceless pycs, new RECORD; by hand: "
                    "unzip, compileall -j 0 (pycs beside the sources), zip (no RECORD update)",
            "lazyc_wheel": {"wall_s": statistics.median(r[0] for r in lz),
                            "peak_rss_kib": max(r[2] for r in lz),
                            "status": [r[3] for r in lz]},
            "unzip_compileall_zip": {"wall_s": statistics.median(r[0] for r in hd),
                                     "peak_rss_kib": max(r[2] for r in hd),
                                     "status": [r[3] for r in hd]}}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--python", default=default_python())
    ap.add_argument("--tree", help="pycs to rewrite (default: PY's site-packages, compiled)")
    ap.add_argument("--sources", help="sources for compileall (default: PY's site-packages)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--lazyc", default=os.path.join(ROOT, "build", "rewriter", "lazyc"))
    a = ap.parse_args()
    import bench_report
    work = tempfile.mkdtemp(prefix="bench_rewrite_")
    try:
        src = a.sources or site_dir(a.python)
        tree = a.tree or pyc_tree(a.python, work)
        r = measure(a.lazyc, a.python, tree, src, os.path.join(work, "m"), runs=a.runs)
        r["tree"] = a.tree or "site-packages of " + a.python
        print("\n".join(bench_report.toolspeed_tables({"toolspeed": {"trees": [r]}})))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
