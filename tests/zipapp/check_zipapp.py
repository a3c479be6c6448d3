"""End-to-end checks of `lazyc zipapp` on real archives.

    check_zipapp.py LAZYC KIND VERSION [WORKDIR]     KIND: zipapp | pex | shiv | refuse

zipapp  the demo app (tests/data/zipapp/app) packed by VERSION's own stdlib
        zipapp module (shebang, deflate), rewritten for VERSION, then: same
        output as the original, source lines in tracebacks (traceback module),
        -X importtime without the deferred modules, prefix bytes identical,
        entry order / directory entries / methods / attributes kept, a pyc
        right after every .py, zipfile and unzip -t accept it, x bit kept,
        two runs give identical bytes.
pex     the same sources built by Debian's pex 1.5.3 (tools/pex.sh) with a local
        egg dependency; rewritten; runs with a fresh PEX_ROOT and with a PEX_ROOT
        warmed by the original (the rewritten pex must not reuse its extraction).
shiv    a shiv-layout archive made here (site-packages/, _bootstrap/,
        environment.json): shiv itself is not packaged by Debian, so this proves
        the layout handling (build_id, compile_pyc, __pycache__ pycs in
        site-packages, imported after extraction), not a launch by shiv.
refuse  archives lazyc must refuse with one line and no output.

What this does not prove: other pex versions (refused by design) or shiv's own
bootstrap.  Exit 77 = skipped (interpreter or pex missing), except under CI=true.
"""
import hashlib
import json
import os
import re
import shutil
import struct
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import TOP, check, finish, importtime, interpreter, run, skip  # noqa: E402

APP = os.path.join(TOP, "tests", "data", "zipapp", "app")
LAZYDEP = os.path.join(TOP, "tests", "data", "zipapp", "lazydep")
DEFERRED = ["statistics", "decimal", "fractions", "difflib", "demo.sub.report"]
SOURCE_LINE = "# the traceback shows this line"


def prefix_of(path):
    """Bytes before the first local header (zipfile has already corrected the
    offsets for data prepended to an archive with relative offsets)."""
    with zipfile.ZipFile(path) as z:
        start = min(i.header_offset for i in z.infolist())
    return open(path, "rb").read()[:start]


def infos(path):
    with zipfile.ZipFile(path) as z:
        return {i.filename: i for i in z.infolist()}, [i.filename for i in z.infolist()]


def check_structure(orig, lazy, tag, legacy=True, pycache_roots=()):
    o_info, o_order = infos(orig)
    n_info, n_order = infos(lazy)
    check(prefix_of(orig) == prefix_of(lazy), "prefix bytes identical (%d bytes)" % len(prefix_of(orig)))
    kept = [n for n in n_order if n in o_info]
    check(kept == o_order, "every entry kept, in the original order")
    check(all(n_info[n].compress_type == o_info[n].compress_type for n in o_order),
          "compression methods kept")
    # The Unix mode (high 16 bits); libarchive writes no MS-DOS attribute
    # bits (0x10 on directories from Python's zipfile), which readers ignore.
    check(all(n_info[n].external_attr >> 16 == o_info[n].external_attr >> 16 for n in o_order),
          "external attributes (Unix modes) kept")
    dirs = [n for n in o_order if n.endswith("/")]
    check(all(d in n_info for d in dirs), "directory entries kept (%d)" % len(dirs))
    with zipfile.ZipFile(lazy) as z:
        check(z.testzip() is None, "zipfile: every CRC checks")
    p = run(["python3", "-m", "zipfile", "-t", lazy], check_rc=False)
    check(p.returncode == 0, "python -m zipfile -t")
    if shutil.which("unzip"):
        p = run(["unzip", "-t", lazy], check_rc=False)
        check("No errors detected" in p.stdout, "unzip -t")
    check(os.stat(lazy).st_mode & 0o777 == os.stat(orig).st_mode & 0o777, "file mode kept")
    if legacy:
        pys = [n for n in n_order if n.endswith(".py") and not n.startswith((".", "_bootstrap"))
               and n != "__main__.py" or n == "__main__.py" and legacy == "all"]
        after = all(n_order[n_order.index(p) + 1] == p + "c" for p in pys
                    if "/" in p or legacy == "all")
        check(after, "a pyc right after each .py")
    for root in pycache_roots:
        pys = [n for n in n_order if n.startswith(root) and n.endswith(".py")]
        want = [os.path.join(os.path.dirname(p), "__pycache__",
                             os.path.basename(p)[:-3] + "." + tag + ".pyc") for p in pys]
        check(pys and all(w in n_info for w in want), "__pycache__ pycs under " + root)


def traceback_lines(py, archive, extra_path=None):
    code = ("import sys, traceback\nsys.path.insert(0, sys.argv[1])\n"
            "from demo import util\ntry:\n    util.explode('x')\nexcept Exception:\n"
            "    traceback.print_exc()\nprint(util.__file__)\n")
    return run([py, "-c", code, archive], check_rc=False)


def lazyc(args):
    return run([LAZYC, "zipapp"] + args, check_rc=False)


# ---- stdlib zipapp -------------------------------------------------------------

def test_zipapp(version, work):
    py = interpreter(version)
    tag = "cpython-3" + version.split(".")[1]
    orig = os.path.join(work, "app.pyz")
    # A copy of the sources, so no __pycache__ of an earlier run is packed.
    src = os.path.join(work, "src")
    shutil.copytree(APP, src, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    run([py, "-m", "zipapp", src, "-p", py, "-c", "-o", orig])
    os.makedirs(os.path.join(work, "a"))
    os.makedirs(os.path.join(work, "b"))
    lazy = os.path.join(work, "a", "app.lazy.pyz")
    p = lazyc(["--python", py, "-o", lazy, orig])
    print(p.stdout + p.stderr, end="")
    check(p.returncode == 0, "lazyc zipapp exits 0")
    if p.returncode:
        return
    p = lazyc(["-q", "--python", py, "-o", os.path.join(work, "b", "app.lazy.pyz"), orig])
    check(open(lazy, "rb").read() == open(os.path.join(work, "b", "app.lazy.pyz"), "rb").read(),
          "two runs give identical bytes")
    # Default output name: beside the input, never the input itself.
    before = open(orig, "rb").read()
    p = lazyc(["-q", "--python", py, orig])
    check(p.returncode == 0 and os.path.exists(os.path.join(work, "app.lazy.pyz")) and
          open(orig, "rb").read() == before, "default output app.lazy.pyz; input untouched")
    check_structure(orig, lazy, tag, legacy="all")
    check(os.access(lazy, os.X_OK), "executable bit kept")
    for cmd in (["hello"], ["stats"]):
        a = run([py, orig] + cmd, check_rc=False)
        b = run([py, lazy] + cmd, check_rc=False)
        check((a.returncode, a.stdout) == (b.returncode, b.stdout) and a.returncode == 0,
              "same output for %s: %r" % (cmd, b.stdout.strip()))
    b = run([lazy, "hello"], check_rc=False)
    check(b.returncode == 0, "runs through its shebang")
    t = traceback_lines(py, lazy)
    check(SOURCE_LINE in t.stderr and t.stdout.strip().endswith("demo/util.pyc"),
          "traceback shows the source line; demo.util came from its pyc")
    b = run([py, lazy, "boom"], check_rc=False)
    check(b.returncode == 1 and "demo exploded on purpose" in b.stderr, "boom raises")
    eager = importtime(py, [orig, "hello"])
    lazy_mods = importtime(py, [lazy, "hello"])
    missing = [m for m in DEFERRED if m in eager and m not in lazy_mods]
    check(missing == DEFERRED, "-X importtime: deferred %s" % missing)
    print("modules imported for `hello`: %d original, %d lazy" % (len(eager), len(lazy_mods)))
    # checked-hash: the header says so, and an edited .py would win.
    lazy2 = os.path.join(work, "checked.pyz")
    p = lazyc(["-q", "--python", py, "--invalidation", "checked-hash", "-o", lazy2, orig])
    with zipfile.ZipFile(lazy2) as z:
        flags = struct.unpack("<I", z.read("demo/util.pyc")[4:8])[0]
    check(p.returncode == 0 and flags == 3, "--invalidation checked-hash writes flags 3")
    with zipfile.ZipFile(lazy) as z:
        flags = struct.unpack("<I", z.read("demo/util.pyc")[4:8])[0]
    check(flags == 1, "default header: unchecked hash (flags 1)")
    # The header carries the real hash of the .py: even "always" accepts it.
    p = run([py, "--check-hash-based-pycs", "always", "-c",
             "import sys; sys.path.insert(0, sys.argv[1]); import demo.util; print(demo.util.__file__)",
             lazy], check_rc=False)
    check(p.stdout.strip().endswith("demo/util.pyc"), "--check-hash-based-pycs always keeps the pyc")


# ---- pex ------------------------------------------------------------------------------

def pex_command():
    p = run([os.path.join(TOP, "tools", "pex.sh")], check_rc=False)
    line = p.stdout.strip().splitlines()[-1] if p.returncode == 0 and p.stdout.strip() else ""
    if not line:
        skip("pex not available: " + p.stderr.strip())
    env_part, cmd = line.split(" ", 1)
    return env_part.split("=", 1)[1], cmd.split()


def pex_hash(z, prefix, skip_dot, skip, with_pyc):
    names = sorted(n[len(prefix):] for n in z.namelist()
                   if n.startswith(prefix) and not n.endswith("/")
                   and not (skip_dot and n[len(prefix):].startswith("."))
                   and n[len(prefix):] not in skip and (with_pyc or not n.endswith(".pyc")))
    d = hashlib.sha1("".join(names).encode())
    for n in names:
        d.update(z.read(prefix + n))
    return d.hexdigest()


def test_pex(version, work):
    py = interpreter(version)
    tag = "cpython-3" + version.split(".")[1]
    pythonpath, cmd = pex_command()
    src = os.path.join(work, "src")
    os.makedirs(src)
    for d in ("demo", "nsdemo"):
        shutil.copytree(os.path.join(APP, d), os.path.join(src, d),
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copytree(LAZYDEP, os.path.join(work, "lazydep"))
    orig = os.path.join(work, "app.pex")
    env = dict(os.environ, PYTHONPATH=pythonpath, PEX_ROOT=os.path.join(work, "build-root"))
    # Debian's pex 1.5.3 cannot add wheels (it imports wheel.install): eggs.
    run(cmd + ["--python=" + py, "--no-wheel", "--no-index", "-D", src, "-e", "demo.cli:main",
               "./lazydep", "-o", orig], env=env, cwd=work)
    lazy = os.path.join(work, "out", "app.lazy.pex")
    p = lazyc(["--python", py, "-o", lazy, orig])
    print(p.stdout + p.stderr, end="")
    check(p.returncode == 0, "lazyc zipapp exits 0 on the pex")
    if p.returncode:
        return
    with zipfile.ZipFile(orig) as z:
        o_info = json.loads(z.read("PEX-INFO"))
    with zipfile.ZipFile(lazy) as z:
        n_info = json.loads(z.read("PEX-INFO"))
        check(n_info["code_hash"] != o_info["code_hash"] and
              n_info["code_hash"] == pex_hash(z, "", True, ("PEX-INFO", "__main__.py", "__main__.pyc"), True),
              "code_hash changed to pex's algorithm with pycs counted")
        dists = n_info["distributions"]
        check(all(dists[d] != o_info["distributions"][d] and
                  dists[d] == pex_hash(z, ".deps/%s/" % d, False, (), True) for d in dists),
              "every distribution fingerprint changed")
        check(sorted(set(n_info) ^ set(o_info)) == [] and
              all(n_info[k] == o_info[k] for k in o_info if k not in ("code_hash", "distributions")),
              "PEX-INFO otherwise unchanged")
        check(z.read("PEX-INFO").decode() == json.dumps(n_info, sort_keys=True),
              "PEX-INFO text is what pex itself would dump")
    check_structure(orig, lazy, tag, legacy=True,
                    pycache_roots=[".deps/%s/" % d for d in dists])
    warm = os.path.join(work, "warm-root")
    for cmdline in (["hello"], ["stats"], ["wrap"]):
        a = run([py, orig] + cmdline, env=dict(os.environ, PEX_ROOT=warm), check_rc=False)
        b = run([py, lazy] + cmdline, env=dict(os.environ, PEX_ROOT=os.path.join(work, "fresh")),
                check_rc=False)
        c = run([py, lazy] + cmdline, env=dict(os.environ, PEX_ROOT=warm), check_rc=False)
        check(a.returncode == 0 and (a.stdout, a.returncode) == (b.stdout, b.returncode) ==
              (c.stdout, c.returncode), "pex %s: same output (fresh and warm PEX_ROOT)" % cmdline)
    installed = sorted(os.listdir(os.path.join(warm, "install")))
    want = ["%s.%s" % (d, h) for d, h in list(o_info["distributions"].items()) + list(dists.items())]
    check(installed == sorted(want), "warm PEX_ROOT: the rewritten pex extracted its own copy "
          "(%s)" % ", ".join(installed))
    # The lazy pyc of the dependency is what got imported, and Python kept it.
    d = next(iter(dists))
    with zipfile.ZipFile(lazy) as z:
        want_pyc = z.read(".deps/%s/lazydep/__pycache__/__init__.%s.pyc" % (d, tag))
    got = os.path.join(warm, "install", "%s.%s" % (d, dists[d]), d, "lazydep", "__pycache__",
                       "__init__.%s.pyc" % tag)
    check(os.path.exists(got) and open(got, "rb").read() == want_pyc,
          "extracted dependency runs on the lazy pyc from the archive")
    t = traceback_lines(py, lazy)
    check(SOURCE_LINE in t.stderr, "traceback shows the source line")
    eager = importtime(py, [orig, "hello"], env=dict(os.environ, PEX_ROOT=warm))
    lazy_mods = importtime(py, [lazy, "hello"], env=dict(os.environ, PEX_ROOT=warm))
    missing = [m for m in DEFERRED if m in eager and m not in lazy_mods]
    check(missing == DEFERRED, "-X importtime: deferred %s" % missing)
    print("modules imported for `hello`: %d original pex, %d lazy pex" % (len(eager), len(lazy_mods)))


# ---- shiv layout -------------------------------------------------------------------------

def writestr(z, name, text):
    """As shiv writes entries: the full st_mode in the external attributes."""
    info = zipfile.ZipInfo(name, (1980, 1, 1, 6, 0, 0))
    info.external_attr = 0o100644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(info, text)


def make_shiv(path, compile_pyc):
    with open(path, "wb") as f:
        f.write(b"#!/usr/bin/env python3\n")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        for root, dirs, files in sorted(os.walk(APP)):
            dirs.sort()
            rel = os.path.relpath(root, APP)
            if rel == "." or "__pycache__" in rel:
                continue
            for f in sorted(files):
                if f.endswith(".py"):
                    z.write(os.path.join(root, f), "site-packages/%s/%s" % (rel, f))
        writestr(z, "_bootstrap/__init__.py", "# stand-in for shiv's bootstrap (not shiv's code)\n")
        env = {"build_id": "0" * 64, "built_at": "1980-01-01 00:00:00", "compile_pyc": compile_pyc,
               "entry_point": "demo.cli:main", "no_modify": False, "shiv_version": "1.0.0"}
        writestr(z, "environment.json", json.dumps(env))
        writestr(z, "__main__.py", "import _bootstrap\n")
    os.chmod(path, 0o755)


def test_shiv(version, work):
    py = interpreter(version)
    tag = "cpython-3" + version.split(".")[1]
    orig = os.path.join(work, "app.shiv.pyz")
    make_shiv(orig, True)
    lazy = os.path.join(work, "out.pyz")
    p = lazyc(["--python", py, "-o", lazy, orig])
    print(p.stdout + p.stderr, end="")
    check(p.returncode == 0, "lazyc zipapp exits 0 on the shiv layout")
    if p.returncode:
        return
    with zipfile.ZipFile(lazy) as z:
        env = json.loads(z.read("environment.json"))
        names = z.namelist()
    check(env["build_id"] != "0" * 64 and len(env["build_id"]) == 64, "build_id changed")
    check(env["compile_pyc"] is False, "compile_pyc turned off")
    check(not any(n.endswith(".pyc") and "__pycache__" not in n for n in names),
          "no legacy pycs (site-packages is imported after extraction)")
    check_structure(orig, lazy, tag, legacy=False, pycache_roots=["site-packages/"])
    # What shiv does at first run: extract site-packages, put it on sys.path.
    ext = os.path.join(work, "extracted")
    with zipfile.ZipFile(lazy) as z:
        z.extractall(ext, [n for n in names if n.startswith("site-packages/")])
    sp = os.path.join(ext, "site-packages")
    code = "import sys; sys.path.insert(0, sys.argv[1]); from demo.cli import main; main(['hello'])"
    mods = importtime(py, ["-c", code, sp])
    check(not [m for m in DEFERRED if m in mods], "extracted site-packages: deferred imports")
    pyc = os.path.join(sp, "demo", "__pycache__", "util.%s.pyc" % tag)
    with zipfile.ZipFile(lazy) as z:
        check(open(pyc, "rb").read() == z.read("site-packages/demo/__pycache__/util.%s.pyc" % tag),
              "the extracted lazy pyc was used and kept")


# ---- refusals ---------------------------------------------------------------------------------

def test_refuse(version, work):
    py = interpreter(version)

    def refused(path, pattern, what):
        out = path + ".out"
        p = lazyc(["-q", "--python", py, "-o", out, path])
        lines = p.stderr.strip().splitlines()
        check(p.returncode == 1 and lines and re.search(pattern, p.stderr) and
              not os.path.exists(out), "refused: %s (%s)" % (what, lines[-1] if lines else ""))

    plain = os.path.join(work, "plain.zip")
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("mod.py", "x = 1\n")
    refused(plain, "no __main__.py", "no __main__.py")
    bad = os.path.join(work, "bad.pyz")
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("__main__.py", "import broken\n")
        z.writestr("broken.py", "def f(:\n")
    refused(bad, "did not compile", "a .py that does not compile")
    pex = os.path.join(work, "fake.pex")
    with zipfile.ZipFile(pex, "w") as z:
        z.writestr("PEX-INFO", json.dumps({"code_hash": "0" * 40, "distributions": {}}))
        z.writestr("__main__.py", "pass\n")
        z.writestr("m.py", "pass\n")
    refused(pex, "code_hash", "pex whose code_hash is not pex 1.x's")
    packed = os.path.join(work, "packed.pex")
    with zipfile.ZipFile(packed, "w") as z:
        z.writestr("PEX-INFO", json.dumps({"code_hash": "0" * 40, "distributions": {"a.whl": "1"}}))
        z.writestr(".deps/a.whl", "PK")
    refused(packed, "packed", "pex --layout packed")
    new = os.path.join(work, "new.pex")
    with zipfile.ZipFile(new, "w") as z:
        z.writestr("PEX-INFO", json.dumps({"code_hash": "0" * 40, "pex_hash": "1" * 40}))
    refused(new, "pex_hash", "pex 2+ (pex_hash)")
    shiv = os.path.join(work, "old.shiv")
    with zipfile.ZipFile(shiv, "w") as z:
        z.writestr("environment.json", json.dumps({"build_id": "x"}))
        z.writestr("_bootstrap/__init__.py", "")
        z.writestr("__main__.py", "")
    refused(shiv, "compile_pyc", "old shiv without compile_pyc")


def main():
    global LAZYC
    LAZYC = os.path.abspath(sys.argv[1])
    kind, version = sys.argv[2], sys.argv[3]
    work = sys.argv[4] if len(sys.argv) > 4 else tempfile.mkdtemp(prefix="lazyc-zipapp-")
    work = os.path.join(work, "%s-%s" % (kind, version))
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    {"zipapp": test_zipapp, "pex": test_pex, "shiv": test_shiv, "refuse": test_refuse}[kind](version, work)
    finish()


if __name__ == "__main__":
    main()
