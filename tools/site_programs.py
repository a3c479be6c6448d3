#!/usr/bin/env python3
"""Every console script of an interpreter, on its lazified stdlib and site-packages.

    tools/site_programs.py check [--python PY] [--lazyc PATH] [--work DIR]
    tools/site_programs.py bench [tools/bench options]   (= tools/bench --only startup)

check prepares the eager, auto and all pycache-prefix trees of PY's stdlib
and site-packages as tools/bench does (tools/bench_startup.py), runs every
console script of PY's bin directory that belongs to it (`--version`, else
`--help`) under each, and compares exit status and stdout; exit 1 if `auto`
differs anywhere (differences under `all` are reported: that policy may
break programs by design, see the README).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pythons import interpreters  # noqa: E402
import bench_startup as B  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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


def cmd_check(py, info):
    cfgs = {c.name: c for c in B.configs_for(info, {"eager", "auto", "all"})}
    differ_auto = 0
    rows = 0
    for name in console_scripts(py):
        for flag in ("--version", "--help"):
            base = B.run_once(cfgs["eager"], ["@" + name, flag])
            if base[0] == 0 or flag == "--help":
                break
        base_out = B.normalise(base[1], cfgs["eager"])
        marks = []
        for c in ("auto", "all"):
            res = B.run_once(cfgs[c], ["@" + name, flag])
            same = res[0] == base[0] and B.normalise(res[1], cfgs[c]) == base_out
            marks.append("same" if same else "DIFFERS (exit %s, %s)" % (
                res[0], B.last_line(res[2])[:100]))
            if not same and base[0] != 0 and res[0] == 0:
                marks[-1] = "works (eager fails: %s)" % B.last_line(base[2])[:60]
            elif c == "auto" and not same:
                differ_auto += 1
        rows += 1
        print("%-32s %-9s eager exit %-3s auto: %s; all: %s" % (name, flag, base[0], marks[0],
                                                               marks[1]))
        sys.stdout.flush()
    print("%d programs; %d differ under auto" % (rows, differ_auto))
    return 1 if differ_auto else 0


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "bench":
        bench = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench")
        return subprocess.call([sys.executable, bench, "--only", "startup"] + sys.argv[2:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=("check",))
    ap.add_argument("--python", default=None)
    ap.add_argument("--lazyc", default=os.path.join(ROOT, "build", "rewriter", "lazyc"))
    ap.add_argument("--work", default=None, help="reuse/keep the prepared trees here")
    a = ap.parse_args()
    if not a.python:
        a.python = interpreters().get("3.11", "")
    if not a.python:
        B.say("site_programs: no Python 3.11 found")
        return 77
    ver = B.py_info(a.python)[0]
    work = a.work or tempfile.mkdtemp(prefix="site_programs_")
    try:
        return cmd_check(a.python, B.prepare_prefix(ver, a.python, a.lazyc, work))
    finally:
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
