#!/usr/bin/env python3
"""Real programs on a lazified copy of an interpreter's site-packages.

    tools/site_programs.py check [--python PY] [--lazyc PATH] [--work DIR]
    tools/site_programs.py bench [--python PY] [--runs N] [--json FILE] [--quick]

Both copy PY's site-packages three times (cp -a, so the pycs stay valid for
their sources), compile them with PY, and rewrite two copies with
`lazyc rewrite --policy auto` and `--policy all`.  Programs run with the copy
first on PYTHONPATH; PYTHONDONTWRITEBYTECODE is unset, as in real use.

check  runs every console script of PY's bin directory that belongs to it
       (`--version`, else `--help`) on the eager copy and on both lazy copies
       and compares exit status and stdout; exit 1 if `auto` differs anywhere
       (differences under `all` are reported: that policy may break programs
       by design, see the README).
bench  runs the named workloads interleaved (eager, auto, all, eager, ...;
       one warm-up round, then N rounds) and reports the median and spread of
       wall time, modules imported (a separate `-X importtime` run) and peak
       RSS, with ratios against eager from the same run; Markdown on stdout,
       JSON with --json.
"""
import argparse
import json
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
CONFIGS = ("eager", "auto", "all")
WORKLOADS = [
    ("sympy Symbol", ["-c", "import sympy; sympy.Symbol('x')"]),
    ("networkx shortest path", ["-c", "import networkx as nx; "
                                "nx.shortest_path(nx.path_graph(50), 0, 49)"]),
    ("flask --version", ["@flask", "--version"]),
    ("pip --version", ["-m", "pip", "--version"]),
    ("jsonschema --version", ["@jsonschema", "--version"]),
    ("pygmentize -V", ["@pygmentize", "-V"]),
    ("openapi-spec-validator --version", ["@openapi-spec-validator", "--version"]),
    ("docutils --version", ["@docutils", "--version"]),
]


def say(msg):
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


def site_dir(py):
    return subprocess.check_output(
        [py, "-c", "import site, sys; sys.stdout.write(site.getsitepackages()[0])"],
        universal_newlines=True)


def prepare(py, lazyc, work):
    src = site_dir(py)
    trees = {c: os.path.join(work, c) for c in CONFIGS}
    if all(os.path.isdir(t) for t in trees.values()):
        return trees
    say("copying %s" % src)
    os.makedirs(work, exist_ok=True)
    eager = trees["eager"]
    shutil.rmtree(eager, ignore_errors=True)
    subprocess.check_call(["cp", "-a", src, eager])
    subprocess.call([py, "-m", "compileall", "-q", "-j", "0", eager],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for policy in ("auto", "all"):
        shutil.rmtree(trees[policy], ignore_errors=True)
        subprocess.check_call(["cp", "-a", eager, trees[policy]])
        out = subprocess.run([lazyc, "rewrite", "--policy", policy, trees[policy]],
                             stdout=subprocess.PIPE, universal_newlines=True).stdout
        say("%s: %s" % (policy, out.strip()))
    return trees


def env_for(tree):
    env = dict(os.environ, PYTHONPATH=tree)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def argv_for(py, args):
    bindir = os.path.dirname(py)
    if args[0].startswith("@"):
        return [py, os.path.join(bindir, args[0][1:])] + args[1:]
    return [py] + args


def run(py, tree, args, extra=()):
    """(exit status, stdout, stderr, wall seconds)."""
    argv = argv_for(py, list(args))
    t = time.perf_counter()
    p = subprocess.run(argv[:1] + list(extra) + argv[1:], env=env_for(tree),
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, cwd=tempfile.gettempdir(), timeout=600)
    return p.returncode, p.stdout, p.stderr, time.perf_counter() - t


def peak_rss(py, tree, args):
    """Peak RSS (KiB) of one run, from the child's rusage."""
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.chdir(tempfile.gettempdir())
        argv = argv_for(py, list(args))
        try:
            os.execve(argv[0], argv, env_for(tree))
        finally:
            os._exit(127)
    _, _, ru = os.wait4(pid, 0)
    return ru.ru_maxrss


def modules(py, tree, args):
    _, _, err, _ = run(py, tree, args, extra=("-X", "importtime"))
    return sum(1 for line in err.split("\n") if line.startswith("import time:") and
               "| imported package" not in line)


def console_scripts(py):
    bindir = os.path.dirname(py)
    real = os.path.realpath(py)
    found = []
    for name in sorted(os.listdir(bindir)):
        path = os.path.join(bindir, name)
        if not os.path.isfile(path) or name.startswith(("python", "pip3.", "idle", "pydoc",
                                                         "2to3")):
            continue
        try:
            with open(path, "rb") as f:
                first = f.readline()
        except OSError:
            continue
        if first.startswith(b"#!") and os.path.realpath(first[2:].strip().split()[0]
                                                        .decode(errors="replace")) == real:
            found.append(name)
    return found


def cmd_check(a, trees):
    differ_auto = 0
    rows = []
    for name in console_scripts(a.python):
        for flag in ("--version", "--help"):
            base = run(a.python, trees["eager"], ["@" + name, flag])
            if base[0] == 0 or flag == "--help":
                break
        res = {c: run(a.python, trees[c], ["@" + name, flag]) for c in ("auto", "all")}
        marks = []
        for c in ("auto", "all"):
            out = res[c][1].replace(trees[c], trees["eager"])    # pip prints its path
            same = res[c][0] == base[0] and out == base[1]
            marks.append("same" if same else "DIFFERS (exit %s, %s)" % (
                res[c][0], (res[c][2].strip().split("\n") or [""])[-1][:100]))
            if not same and base[0] != 0 and res[c][0] == 0:
                marks[-1] = "works (eager fails: %s)" % (base[2].strip().split("\n") or [""])[-1][:60]
            elif c == "auto" and not same:
                differ_auto += 1
        rows.append((name, flag, base[0], marks))
        print("%-32s %-9s eager exit %-3s auto: %s; all: %s" % (name, flag, base[0], marks[0],
                                                               marks[1]))
        sys.stdout.flush()
    print("%d programs; %d differ under auto" % (len(rows), differ_auto))
    return 1 if differ_auto else 0


def cmd_bench(a, trees):
    results = []
    workloads = WORKLOADS[:4] if a.quick else WORKLOADS
    for label, args in workloads:
        times = {c: [] for c in CONFIGS}
        failed = {}
        for rnd in range(a.runs + 1):
            for c in CONFIGS:
                rc, _, err, secs = run(a.python, trees[c], args)
                if rc != 0:
                    failed[c] = (err.strip().split("\n") or [""])[-1][:120]
                if rnd:
                    times[c].append(secs)
        row = {"workload": label}
        for c in CONFIGS:
            row[c] = {
                "median_s": statistics.median(times[c]),
                "spread_s": max(times[c]) - min(times[c]),
                "modules": modules(a.python, trees[c], args),
                "peak_rss_kib": peak_rss(a.python, trees[c], args),
                "error": failed.get(c),
            }
        results.append(row)
        say("%s done" % label)
    print("| workload | eager s | auto s | all s | auto/eager | all/eager | modules eager/auto/all "
          "| RSS MiB eager/auto/all |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        e, u, l = (r[c] for c in CONFIGS)
        def t(x):
            return "FAIL" if x["error"] else "%.3f" % x["median_s"]
        print("| %s | %.3f | %s | %s | %.2f | %.2f | %d / %d / %d | %.0f / %.0f / %.0f |" % (
            r["workload"], e["median_s"], t(u), t(l), u["median_s"] / e["median_s"],
            l["median_s"] / e["median_s"], e["modules"], u["modules"], l["modules"],
            e["peak_rss_kib"] / 1024, u["peak_rss_kib"] / 1024, l["peak_rss_kib"] / 1024))
        for c in CONFIGS:
            if r[c]["error"]:
                print("|  %s failed under %s: %s |||||||" % (r["workload"], c, r[c]["error"]))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"python": a.python, "runs": a.runs, "results": results}, f, indent=1)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=("check", "bench"))
    ap.add_argument("--python", default=None)
    ap.add_argument("--lazyc", default=os.path.join(ROOT, "build", "rewriter", "lazyc"))
    ap.add_argument("--work", default=None, help="reuse/keep the copies here")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json")
    a = ap.parse_args()
    if not a.python:
        a.python = interpreters().get("3.11", "")
    if not a.python:
        say("site_programs: no Python 3.11 found")
        return 77
    work = a.work or tempfile.mkdtemp(prefix="site_programs_")
    try:
        trees = prepare(a.python, a.lazyc, work)
        return cmd_check(a, trees) if a.mode == "check" else cmd_bench(a, trees)
    finally:
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
