"""End-to-end checks of `lazyc compile` for one interpreter version.

    check_compile.py LAZYC VERSION WORKDIR

The demo application (tests/data/zipapp/app: packages, relative imports, a
namespace package) is compiled by VERSION through lazyc:

in place    pycs land in __pycache__ with VERSION's cache tag; the app gives
            the original's output, -X importtime lacks the deferred modules,
            running it leaves the lazy pycs alone; a source with a syntax error
            is named with its line and skipped, the rest is written; a second
            run writes nothing and says so; an edited source is recompiled.
prefix      --pycache-prefix leaves the tree untouched except for the runtime
            module, and PYTHONPYCACHEPREFIX runs the lazy pycs.
options     --invalidation checked-hash writes flags 3 with the true source
            hash; -O 1 writes .opt-1 pycs.
venv        a virtual environment stands for its site-packages.
refusals    a missing SRC, a bad --python, bad options: one line, exit 2/3.
"""
import os
import shutil
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import (TOP, check, clean_env, finish, importtime, interpreter,  # noqa: E402
                     run)

APP = os.path.join(TOP, "tests", "data", "zipapp", "app")
DEFERRED = ["statistics", "decimal", "fractions", "difflib", "demo.sub.report"]
BROKEN = "x = 1\n\ndef broken(:\n    pass\n"


def main():
    lazyc, version, work = sys.argv[1], sys.argv[2], sys.argv[3]
    py = interpreter(version)
    minor = int(version.split(".")[1])
    work = os.path.join(work, "compile-" + version)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    tag = run([py, "-c", "import sys; print(sys.implementation.cache_tag)"]).stdout.strip()
    env = clean_env()

    def lazyc_run(*args):
        return run([lazyc, "compile", "--python", py] + list(args), check_rc=False)

    def app(tree, *args, extra_env=None):
        e = dict(env, **(extra_env or {}))
        return run([py, tree] + list(args), env=e, check_rc=False)

    # The original, for reference (no pycs written into the pristine copy).
    orig = os.path.join(work, "orig")
    shutil.copytree(APP, orig)
    want = app(orig, "hello", extra_env={"PYTHONDONTWRITEBYTECODE": "1"})
    eager_mods = importtime(py, [orig, "hello"], env=dict(env, PYTHONDONTWRITEBYTECODE="1"))

    # ---- in place ----------------------------------------------------------------
    tree = os.path.join(work, "tree")
    shutil.copytree(APP, tree)
    with open(os.path.join(tree, "demo", "broken.py"), "w") as f:
        f.write(BROKEN)
    p = lazyc_run(tree)
    check(p.returncode == 1, "a syntax error makes the exit status 1 (got %d)" % p.returncode)
    errs = [l for l in p.stderr.splitlines() if "broken.py" in l]
    check(len(errs) == 1 and "line 3" in errs[0],
          "the compile error names the file and line: %r" % errs)
    check(" 1 compile errors" in p.stdout, "the summary counts the compile error")
    util_pyc = os.path.join(tree, "demo", "__pycache__", "util.%s.pyc" % tag)
    cli_pyc = os.path.join(tree, "demo", "__pycache__", "cli.%s.pyc" % tag)
    check(os.path.isfile(util_pyc) and os.path.isfile(cli_pyc),
          "pycs in __pycache__ with the cache tag %s" % tag)
    check(not os.path.exists(os.path.join(tree, "demo", "__pycache__", "broken.%s.pyc" % tag)),
          "no pyc for the broken source")
    runtime = os.path.join(tree, "_lazyc_runtime.py")
    if minor < 15:
        check(os.path.isfile(runtime), "the runtime module is written at the root")
        with open(cli_pyc, "rb") as f:
            check(b"__lazyc__" in f.read(), "demo/cli's pyc is the rewritten one")
    else:
        check(not os.path.exists(runtime), "3.15 needs no runtime module")
    with open(cli_pyc, "rb") as f:
        before = f.read()
    got = app(tree, "hello")
    check(got.returncode == 0 and got.stdout == want.stdout,
          "the app's output is the original's: %r" % got.stdout.strip())
    lazy_mods = importtime(py, [tree, "hello"], env=env)
    missing = [m for m in DEFERRED if m in eager_mods and m not in lazy_mods]
    check(missing == DEFERRED, "-X importtime: deferred %s" % missing)
    print("modules imported for `hello`: %d original, %d lazy" % (len(eager_mods), len(lazy_mods)))
    stats = app(tree, "stats")
    check(stats.returncode == 0 and stats.stdout.strip() != "", "a deferred import resolves on use")
    with open(cli_pyc, "rb") as f:
        check(f.read() == before, "running the app leaves the lazy pyc in place")

    os.remove(os.path.join(tree, "demo", "broken.py"))
    p = lazyc_run(tree)
    check(p.returncode == 0 and p.stdout.startswith("nothing to do:"),
          "a second run writes nothing and says so: %r" % p.stdout.strip())
    with open(os.path.join(tree, "demo", "util.py"), "a") as f:
        f.write("\nEDITED = True\n")
    p = lazyc_run(tree)
    check(p.returncode == 0 and " 1 files written" in p.stdout.splitlines()[0],
          "an edited source is compiled again: %r" % p.stdout.splitlines()[:1])
    got = run([py, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
               "from demo import util; print(util.EDITED)", tree], env=env, check_rc=False)
    check(got.stdout.strip() == "True", "the edited module runs from its new pyc")

    # ---- prefix mode ---------------------------------------------------------------
    tree2 = os.path.join(work, "tree2")
    prefix = os.path.join(work, "prefix")
    shutil.copytree(APP, tree2)
    p = lazyc_run("--pycache-prefix", prefix, tree2)
    check(p.returncode == 0, "prefix mode exit 0")
    added = sorted(set(walk(tree2)) - set(walk(APP)))
    check(added == (["_lazyc_runtime.py"] if minor < 15 else []),
          "prefix mode adds only the runtime to the tree: %s" % added)
    in_prefix = os.path.join(prefix, os.path.abspath(tree2).lstrip("/"), "demo",
                             "cli.%s.pyc" % tag)
    check(os.path.isfile(in_prefix), "pycs under the prefix mirror the absolute path")
    penv = {"PYTHONPYCACHEPREFIX": prefix}
    got = app(tree2, "hello", extra_env=penv)
    check(got.stdout == want.stdout, "the app runs from the prefix")
    lazy_mods = importtime(py, [tree2, "hello"], env=dict(env, **penv))
    missing = [m for m in DEFERRED if m in eager_mods and m not in lazy_mods]
    check(missing == DEFERRED, "prefix: -X importtime: deferred %s" % missing)

    # ---- options -------------------------------------------------------------------
    tree3 = os.path.join(work, "tree3")
    shutil.copytree(APP, tree3)
    p = lazyc_run("-q", "--invalidation", "checked-hash", "-O", "0", "-O", "1", tree3)
    check(p.returncode == 0 and p.stdout == "", "-q prints nothing")
    with open(util_pyc.replace(tree, tree3), "rb") as f:
        head = f.read(16)
    want_hash = run([py, "-c", "import importlib.util, sys; "
                     "sys.stdout.write(importlib.util.source_hash(open(sys.argv[1], 'rb')"
                     ".read()).hex())", os.path.join(tree3, "demo", "util.py")]).stdout
    check(struct.unpack("<I", head[4:8])[0] == 3 and head[8:16].hex() == want_hash,
          "checked-hash: flags 3 and the interpreter's source hash")
    check(os.path.isfile(util_pyc.replace(tree, tree3).replace(".pyc", ".opt-1.pyc")),
          "-O 1 writes .opt-1 pycs")
    got = run([py, "-O", tree3, "hello"], env=env, check_rc=False)
    check(got.stdout == want.stdout, "the app runs under -O")

    # ---- a virtual environment ---------------------------------------------------
    venv = os.path.join(work, "venv")
    run([py, "-m", "venv", "--without-pip", venv], env=env)
    site = run([os.path.join(venv, "bin", "python"), "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])"], env=env).stdout.strip()
    for name in ("demo", "nsdemo"):
        shutil.copytree(os.path.join(APP, name), os.path.join(site, name))
    p = lazyc_run(venv)
    check(p.returncode == 0 and os.path.isfile(
        os.path.join(site, "demo", "__pycache__", "cli.%s.pyc" % tag)),
        "a venv argument compiles its site-packages")
    got = run([os.path.join(venv, "bin", "python"), "-c",
               "from demo.cli import main; main(['hello'])"], env=env, check_rc=False)
    check(got.stdout == want.stdout, "the app runs in the venv")

    # ---- refusals ---------------------------------------------------------------------
    p = lazyc_run(os.path.join(work, "missing"))
    check(p.returncode != 0 and len(p.stderr.strip().splitlines()) == 1 and "missing" in p.stderr,
          "a missing SRC: one line: %r" % p.stderr.strip())
    p = run([lazyc, "compile", "--python", os.path.join(work, "nopython"), tree],
            check_rc=False)
    check(p.returncode in (2, 3) and "nopython" in p.stderr,
          "a bad --python is named: %r" % p.stderr.strip()[:120])
    p = lazyc_run("--invalidation", "sometimes", tree)
    check(p.returncode == 2, "a bad --invalidation is a usage error")
    finish()


def walk(top):
    out = []
    for d, _, files in os.walk(top):
        for f in files:
            out.append(os.path.relpath(os.path.join(d, f), top))
    return out


if __name__ == "__main__":
    main()
