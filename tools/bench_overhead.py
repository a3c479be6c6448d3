#!/usr/bin/env python3
"""What a lazy import costs, per CPython version: statement, first use, steady state.

    tools/bench_overhead.py [--lazyc PATH] [--versions 3.8,3.11,...] [--runs N]
                            [--callgrind] [--loops N]     (also run by tools/bench)

Three small modules are compiled by each interpreter, copied to an eager
tree and a lazy tree, and the lazy tree is rewritten with `lazyc rewrite
--policy all` (3.8-3.14: the runtime and guards; 3.15: PEP 810's lazy bit).
What is measured is lazyc's mechanism, never the import itself:

statement   `stmts.py` runs K statements `import dep as _nI` whose names are
            never used; `empty.py` is the same module without them.  Both code
            objects are unmarshalled once and exec'd REPS times in fresh module
            dicts; (t(stmts) - t(empty)) / K is the cost of one statement:
            eager = an import of an already-loaded module (`dep` is imported
            first), lazy = recording a pending name (`dep` is not loaded; a
            lazy import of a loaded module binds at once, like eager).
first use   after exec, `dep` is imported and `touch()` reads every _nI once
            (a lazy name resolves: guard -> runtime -> __import__ of a loaded
            module -> bind; 3.15: reification); the second call is the steady
            cost; (first - second) / K per name.
steady      `hot.loop(n)` reads `dep.VALUE` through a lazily imported module
            after the first use; the loop time lazy/eager (best of RUNS,
            processes interleaved).
--callgrind the same quantities as instruction counts (valgrind
            --tool=callgrind, whole process, differences of two runs so start-up
            cancels): statement = (stmts - empty) / K including unmarshalling
            the larger pyc; first use = (import + touch) - (import) per name;
            steady = two loop lengths.  Skipped loudly when valgrind is missing.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pythons import interpreters  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
K = 400

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


def stmts_source(k):
    lines = ["import dep as _n%d" % i for i in range(k)]
    lines.append("def touch():")
    lines.append("    return (%s)" % "".join("_n%d, " % i for i in range(k)))
    return "\n".join(lines) + "\n"


EMPTY = "def touch():\n    return ()\n"

# Runs inside the measured interpreter: exec the two code objects REPS times.
# `dep` is loaded before the eager statements run (the cheapest eager import)
# and not loaded before the lazy ones (so each is recorded as pending); it is
# loaded before the first use, so resolving measures lazyc, not the import.
PROBE = r'''
import importlib.util, json, marshal, os, sys, time, types
tree, reps, lazy = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "lazy"
sys.path.insert(0, tree)
def code_of(name):
    path = importlib.util.cache_from_source(os.path.join(tree, name + ".py"))
    with open(path, "rb") as f:
        return marshal.loads(f.read()[16:])
codes = {n: code_of(n) for n in ("stmts", "empty")}
def fresh(name):
    m = types.ModuleType(name)
    m.__file__ = os.path.join(tree, name + ".py")
    sys.modules[name] = m
    return m
res = {"stmts": [], "empty": [], "first": [], "second": []}
clock = time.perf_counter
for _ in range(reps):
    for name in ("stmts", "empty"):
        if lazy:
            sys.modules.pop("dep", None)
        else:
            import dep
        m = fresh(name)
        t = clock()
        exec(codes[name], m.__dict__)
        res[name].append(clock() - t)
        if name == "stmts":
            import dep
            t = clock(); m.touch(); t1 = clock(); m.touch(); t2 = clock()
            res["first"].append(t1 - t)
            res["second"].append(t2 - t1)
        del sys.modules[name]
print(json.dumps({k: sorted(v)[len(v) // 2] for k, v in res.items()}))
'''


def say(msg):
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


def prepare(py, lazyc, work):
    src = os.path.join(work, "src")
    os.makedirs(src)
    for name, text in (("dep.py", DEP), ("hot.py", HOT), ("stmts.py", stmts_source(K)),
                       ("empty.py", EMPTY)):
        with open(os.path.join(src, name), "w") as f:
            f.write(text)
    subprocess.check_call([py, "-m", "compileall", "-q", src], stdout=subprocess.DEVNULL)
    eager, lazy = os.path.join(work, "eager"), os.path.join(work, "lazy")
    shutil.copytree(src, eager)
    shutil.copytree(src, lazy)
    subprocess.check_call([lazyc, "rewrite", "-q", "--policy", "all", lazy])
    return eager, lazy


def _env():
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    for k in ("PYTHONPATH", "PYTHONPYCACHEPREFIX", "LAZYC_EAGER", "PYTHON_LAZY_IMPORTS"):
        env.pop(k, None)
    return env


def run_steady(py, tree, n):
    out = subprocess.check_output([py, "-c", "import hot; print(hot.bench(%d))" % n], cwd=tree,
                                  env=_env(), universal_newlines=True)
    return float(out.strip())


def run_probe(py, tree, reps, lazy):
    out = subprocess.check_output([py, "-c", PROBE, tree, str(reps), "lazy" if lazy else "eager"],
                                  cwd=tree, env=_env(), universal_newlines=True)
    return json.loads(out)


def instructions(py, tree, code):
    with tempfile.TemporaryDirectory() as d:
        err = subprocess.run(["valgrind", "--tool=callgrind",
                              "--callgrind-out-file=" + os.path.join(d, "cg.out"),
                              py, "-S", "-c", code],
                             cwd=tree, env=_env(), stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, universal_newlines=True).stderr
    m = re.search(r"Collected : (\d+)", err)
    return int(m.group(1)) if m else None


def callgrind_counts(py, tree, lazy):
    """Instruction counts: per statement, per first use, per loop iteration.
    As in PROBE, `dep` is loaded before eager statements, after lazy ones."""
    n1, n2 = 10_000, 60_000
    pre = "" if lazy else "import dep; "
    c = {
        "empty": instructions(py, tree, pre + "import empty; import dep"),
        "stmts": instructions(py, tree, pre + "import stmts; import dep"),
        "touch": instructions(py, tree, pre + "import stmts; import dep; stmts.touch()"),
        "touch2": instructions(py, tree, pre + "import stmts; import dep; stmts.touch(); "
                               "stmts.touch()"),
        "loop1": instructions(py, tree, "import hot; hot.loop(1); hot.loop(%d)" % n1),
        "loop2": instructions(py, tree, "import hot; hot.loop(1); hot.loop(%d)" % n2),
    }
    if None in c.values():
        return None
    return {
        "statement": (c["stmts"] - c["empty"]) / K,
        # first call minus a second call: the resolution itself, per name
        "first_use": ((c["touch"] - c["stmts"]) - (c["touch2"] - c["touch"])) / K,
        "loop_iteration": (c["loop2"] - c["loop1"]) / (n2 - n1),
    }


def measure(ver, py, lazyc, runs=7, loops=2_000_000, reps=200, callgrind=False):
    """All three quantities for one interpreter; a dict for the JSON."""
    work = tempfile.mkdtemp(prefix="bench_overhead_")
    try:
        eager, lazy = prepare(py, lazyc, work)
        trees = (("eager", eager), ("lazy", lazy))
        steady = {"eager": [], "lazy": []}
        probe = {"eager": [], "lazy": []}
        for name, tree in trees:                    # warm-up
            run_steady(py, tree, 1000)
            run_probe(py, tree, 5, name == "lazy")
        for _ in range(runs):                       # interleaved
            for name, tree in trees:
                steady[name].append(run_steady(py, tree, loops))
                probe[name].append(run_probe(py, tree, reps, name == "lazy"))
        r = {"version": ver, "python": py, "statements": K, "runs": runs, "loops": loops,
             "reps": reps}
        for name in ("eager", "lazy"):
            p = probe[name]

            def med(key):
                return statistics.median(x[key] for x in p)
            r[name] = {
                "statement_ns": (med("stmts") - med("empty")) / K * 1e9,
                "first_use_ns": (med("first") - med("second")) / K * 1e9,
                "steady_loop_s": min(steady[name]),
            }
        r["steady_ratio"] = r["lazy"]["steady_loop_s"] / r["eager"]["steady_loop_s"]
        if callgrind:
            if shutil.which("valgrind"):
                r["callgrind"] = {name: callgrind_counts(py, tree, name == "lazy")
                                  for name, tree in trees}
            else:
                r["callgrind"] = "SKIPPED: valgrind not installed (apt-get install valgrind)"
                say("bench_overhead: SKIPPED callgrind counts: valgrind not installed")
        return r
    finally:
        shutil.rmtree(work, ignore_errors=True)


def markdown(rows):
    out = ["| CPython | statement ns eager -> lazy | first use ns/name (lazy - eager) "
           "| steady loop lazy/eager | instr/statement eager -> lazy "
           "| instr/first use | instr/iteration eager -> lazy |",
           "|---|---|---|---|---|---|---|"]
    for r in rows:
        e, l = r["eager"], r["lazy"]
        cg = r.get("callgrind")
        if isinstance(cg, dict) and cg.get("eager") and cg.get("lazy"):
            ce, cl = cg["eager"], cg["lazy"]
            c1 = "%.0f -> %.0f" % (ce["statement"], cl["statement"])
            c2 = "%.0f" % (cl["first_use"] - ce["first_use"])
            c3 = "%.1f -> %.1f" % (ce["loop_iteration"], cl["loop_iteration"])
        else:
            c1 = c2 = c3 = "-" if not cg else "skipped"
        out.append("| %s | %.0f -> %.0f | %.0f | %.3f | %s | %s | %s |" % (
            r["version"], e["statement_ns"], l["statement_ns"],
            l["first_use_ns"] - e["first_use_ns"], r["steady_ratio"], c1, c2, c3))
    return "\n".join(out)


def arguments(doc):
    """The options this tool and tools/bench_steady.py share."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--lazyc", default=os.path.join(ROOT, "build", "rewriter", "lazyc"))
    ap.add_argument("--versions", default="3.8,3.9,3.10,3.11,3.12,3.13,3.14,3.15")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--loops", type=int, default=2_000_000)
    ap.add_argument("--callgrind", action="store_true")
    return ap


def main():
    ap = arguments(__doc__)
    ap.add_argument("--json")
    a = ap.parse_args()
    found = interpreters()
    rows = []
    for ver in a.versions.split(","):
        if ver not in found:
            say("bench_overhead: SKIPPED %s: no interpreter" % ver)
            continue
        rows.append(measure(ver, found[ver], a.lazyc, a.runs, a.loops, callgrind=a.callgrind))
        say("bench_overhead: %s done" % ver)
    print(markdown(rows))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
