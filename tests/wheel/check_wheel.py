"""End-to-end checks of `lazyc wheel` on real wheels and installers.

    check_wheel.py LAZYC KIND VERSION [WORKDIR]
        KIND: pip | installer | coexist | refuse | keep-source

pip          pip's own wheel from VERSION's ensurepip bundle (3.15 from Debian has
             no ensurepip: the newest bundled pip wheel of another interpreter
             that runs on it, said loudly) rewritten for VERSION: the name is
             pip-X-cp3Y-none-any.whl, WHEEL's Tag is cp3Y-none-any, RECORD
             matches every entry exactly (recomputed here), .dist-info and
             RECORD last, `python -m zipfile -t` and `unzip -t` accept it, no
             .py left for a compiled module, pyc headers carry VERSION's magic
             and the hash of the real source, two runs give the same bytes.
             Installed by the ORIGINAL pip (run from its wheel) into a fresh
             venv: `pip --version`, `pip list`, `pip install` of a small local
             wheel work; the installed pip/__init__.pyc is the rewritten one,
             pip/__init__.py is absent; fewer modules load for `pip --version`
             than with the original wheel installed the same way.
installer    Debian's python3-installer (`python3 -m installer`, system python3)
             installs pip's wheel rewritten for the system python3 into a
             --destdir; the installed pip imports and runs from there.
coexist      two small distributions (a package each, one also a top-level
             module), rewritten in one call, installed into one venv: each has
             its runtime inside its own package (and a per-distribution one at
             the root), both run with their deferred imports missing; then one
             is uninstalled with pip and the other still imports and runs.
refuse       a lying RECORD, a name that does not parse, a .dist-info that does
             not match the name, a hostile zip (tests/zip/hostile/dotdot.zip),
             a tag for another version, an output that would overwrite its
             input: one line naming the file, exit 1, nothing written; with a
             good wheel in the same call the good one is written.  Retagging
             of abi3 and tag acceptance checked against `pip debug --verbose`.
keep-source  --keep-source keeps each .py, adds __pycache__/mod.<tag>.pyc with an
             unchecked-hash header of the real source, warns once; installed
             with `pip install --no-compile` the shipped pycs are what runs.

What this does not prove: uv (not installable offline), installer >= 1.0 (Debian
has 0.6), platform wheels with extension modules.  Exit 77 = skipped (an
interpreter or installer missing), except under CI=true.
"""
import base64
import csv
import glob
import hashlib
import io
import os
import shutil
import struct
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import TOP, check, failures, finish, importtime, interpreter, run, skip  # noqa: E402

HOSTILE = os.path.join(TOP, "tests", "zip", "hostile", "dotdot.zip")
DEFERRED = ["difflib", "fractions"]


def pythons():
    out = run([os.path.join(TOP, "tools", "pythons.sh")]).stdout
    return dict(line.split(None, 1) for line in out.splitlines())


def lazyc(args):
    return run([LAZYC, "wheel"] + args, check_rc=False)


def pip_version(whl):
    return tuple(int(x) for x in os.path.basename(whl).split("-")[1].split(".")[:3]
                 if x.isdigit())


def bundled_pips(py):
    code = ("import os, ensurepip; d = os.path.join(os.path.dirname(ensurepip.__file__), "
            "'_bundled'); print(d)")
    p = run([py, "-c", code], check_rc=False)
    if p.returncode != 0:
        return []
    return glob.glob(os.path.join(p.stdout.strip(), "pip-*.whl"))


def pip_wheel(version, py):
    """The newest pip of VERSION's own ensurepip bundle; without one, the newest
    pip wheel found elsewhere that runs on it."""
    own = sorted(bundled_pips(py), key=pip_version)
    if own:
        return own[-1]
    cands = set(glob.glob("/usr/share/python-wheels/pip-*.whl"))
    for other in pythons().values():
        cands.update(bundled_pips(other))
    for whl in sorted(cands, key=pip_version, reverse=True):
        if run([py, os.path.join(whl, "pip"), "--version"], check_rc=False).returncode == 0:
            print("NOTE: Python %s has no ensurepip bundle; using %s, the newest pip "
                  "wheel here that runs on it" % (version, whl))
            return whl
    skip("no pip wheel runs on Python %s" % version)


def record_hash(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def make_wheel(path, files, name=None, version="1.0", tag="py3-none-any", lie=None,
               dist_info=None):
    """A wheel from {name: text}; RECORD honest unless `lie` names a file whose
    recorded hash is taken before its content changes."""
    base = os.path.basename(path)
    name = name or base.split("-")[0]
    di = dist_info or "%s-%s.dist-info" % (name, version)
    files = dict(files)
    files[di + "/METADATA"] = "Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (name, version)
    files[di + "/WHEEL"] = ("Wheel-Version: 1.0\nGenerator: check_wheel\nRoot-Is-Purelib: true\n"
                            + "".join("Tag: %s\n" % t for t in expand(tag)))
    rows = []
    for n, text in files.items():
        data = text.encode()
        rows.append([n, record_hash(data), str(len(data))])
        if n == lie:
            files[n] = text + "\n# changed after RECORD was written\n"
    rows.append([di + "/RECORD", "", ""])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    files[di + "/RECORD"] = out.getvalue()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, text in files.items():
            z.writestr(n, text)
    return path


def expand(tag):
    py, abi, plat = tag.split("-")
    return ["%s-%s-%s" % (a, b, c) for a in py.split(".") for b in abi.split(".")
            for c in plat.split(".")]


def check_record(path):
    """RECORD lists every file with its true hash and size, nothing else; its
    own row is empty; .dist-info entries come last and RECORD is the last."""
    with zipfile.ZipFile(path) as z:
        names = [i.filename for i in z.infolist()]
        di = [n for n in names if n.split("/")[0].endswith(".dist-info")]
        record = di[0].split("/")[0] + "/RECORD"
        rows = list(csv.reader(io.StringIO(z.read(record).decode())))
        listed = {r[0]: r for r in rows}
        files = [n for n in names if not n.endswith("/")]
        bad = [n for n in files if n != record and
               (n not in listed or listed[n][1] != record_hash(z.read(n))
                or listed[n][2] != str(len(z.read(n))))]
        check(not bad, "RECORD: hash and size of every file match (%d rows) %s"
              % (len(rows), bad[:3]))
        check(set(listed) == set(files) and len(rows) == len(files),
              "RECORD lists exactly the files of the archive")
        check(listed.get(record) == [record, "", ""], "RECORD's own row is empty")
        check(names[-1] == record and names[-len(di):] == di,
              ".dist-info entries last, RECORD last")
    p = run([sys.executable, "-m", "zipfile", "-t", path], check_rc=False)
    check(p.returncode == 0, "python -m zipfile -t")
    if shutil.which("unzip"):
        p = run(["unzip", "-t", path], check_rc=False)
        check("No errors detected" in p.stdout, "unzip -t")


def magic_of(py):
    return bytes.fromhex(run([py, "-c", "import importlib.util as u; "
                                        "print(u.MAGIC_NUMBER.hex())"]).stdout.strip())


def source_hash(py, data):
    code = "import sys, importlib.util as u; print(u.source_hash(sys.stdin.buffer.read()).hex())"
    p = subprocess.run([py, "-c", code], input=data, capture_output=True)
    return bytes.fromhex(p.stdout.decode().strip())


def venv(py, where, pip_whl, wheels, extra=()):
    """A fresh venv without pip; `wheels` installed by the pip of `pip_whl`
    (a wheel on sys.path is importable, so pip runs from it)."""
    run([py, "-m", "venv", "--without-pip", where])
    vpy = os.path.join(where, "bin", "python")
    if wheels:
        run([vpy, os.path.join(pip_whl, "pip"), "install", "-q", "--no-index",
             "--disable-pip-version-check"] + list(extra) + list(wheels))
    return vpy


def site_packages(vpy):
    return run([vpy, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip()


# ---- pip ------------------------------------------------------------------------

def test_pip(version, work):
    py = interpreter(version)
    minor = version.split(".")[1]
    orig = pip_wheel(version, py)
    pver = os.path.basename(orig).split("-")[1]
    out = os.path.join(work, "out")
    p = lazyc(["--python", py, "-w", out, orig])
    print(p.stdout + p.stderr, end="")
    lazy = os.path.join(out, "pip-%s-cp3%s-none-any.whl" % (pver, minor))
    check(p.returncode == 0 and os.path.exists(lazy), "lazyc wheel exits 0, writes %s"
          % os.path.basename(lazy))
    if p.returncode or not os.path.exists(lazy):
        return
    check(os.listdir(out) == [os.path.basename(lazy)], "one file written")
    check_record(lazy)
    magic = magic_of(py)
    with zipfile.ZipFile(orig) as zo, zipfile.ZipFile(lazy) as zl:
        o_names = zo.namelist()
        l_names = set(zl.namelist())
        wheel = zl.read("pip-%s.dist-info/WHEEL" % pver).decode()
        tags = [l.split(":", 1)[1].strip() for l in wheel.splitlines() if l.startswith("Tag:")]
        check(tags == ["cp3%s-none-any" % minor], "WHEEL Tag lines: %s" % tags)
        pys = [n for n in o_names if n.endswith(".py")]
        left = [n for n in pys if n in l_names]
        check(all("-" in os.path.basename(n) for n in left),
              "no .py left for a compiled module (kept: %s)" % left)
        compiled = [n for n in pys if n + "c" in l_names]
        check(len(compiled) + len(left) == len(pys), "%d of %d .py became .pyc"
              % (len(compiled), len(pys)))
        init = zl.read("pip/__init__.pyc")
        check(init[:4] == magic and struct.unpack("<I", init[4:8])[0] == 1 and
              init[8:16] == source_hash(py, zo.read("pip/__init__.py")),
              "pyc header: magic of %s, unchecked hash of the real source" % version)
        check("pip/__init__.pyc" in l_names and "pip/_lazyc_runtime.pyc" in l_names
              or minor == "15", "runtime vendored as pip/_lazyc_runtime.pyc (none on 3.15)")
        check(not any(n.split("/")[0].startswith("_lazyc") for n in l_names),
              "no shared top-level runtime")
        meta = {"pip-%s.dist-info/WHEEL" % pver, "pip-%s.dist-info/RECORD" % pver}
        changed = [n for n in o_names if not n.endswith(".py") and n not in meta
                   and zo.read(n) != zl.read(n)]
        check(not changed, "non-Python files copied unchanged %s" % changed[:3])
    # Install with the original pip into fresh venvs.
    v_lazy = venv(py, os.path.join(work, "v-lazy"), orig, [lazy])
    r = run([v_lazy, "-m", "pip", "--version"], check_rc=False)
    check(r.returncode == 0 and r.stdout.startswith("pip %s from %s" % (pver, os.path.join(work, "v-lazy"))),
          "python -m pip --version: %s" % r.stdout.strip())
    r = run([v_lazy, "-m", "pip", "list", "--disable-pip-version-check"], check_rc=False)
    check(r.returncode == 0 and "pip" in r.stdout and pver in r.stdout, "pip list")
    tiny = make_wheel(os.path.join(work, "tinydist-0.1-py3-none-any.whl"),
                      {"tinymod.py": "VALUE = 42\n"}, version="0.1")
    r = run([v_lazy, "-m", "pip", "install", "-q", "--no-index", "--disable-pip-version-check",
             tiny], check_rc=False)
    r2 = run([v_lazy, "-c", "import tinymod; print(tinymod.VALUE)"], check_rc=False)
    check(r.returncode == 0 and r2.stdout.strip() == "42", "pip install of a local wheel")
    sp = site_packages(v_lazy)
    with zipfile.ZipFile(lazy) as zl:
        shipped = zl.read("pip/__init__.pyc")
    inst = os.path.join(sp, "pip", "__init__.pyc")
    check(os.path.exists(inst) and open(inst, "rb").read() == shipped and
          not os.path.exists(os.path.join(sp, "pip", "__init__.py")),
          "installed pip/__init__.pyc is the rewritten one; no pip/__init__.py")
    r = run([v_lazy, "-c", "import pip, sys; print(pip.__spec__.loader.__class__.__name__)"])
    check(r.stdout.strip() == "SourcelessFileLoader", "pip is loaded by SourcelessFileLoader")
    # The original for comparison: its files unpacked first on sys.path of the
    # same venv (installing it would only add pip compiling 500 files).
    unpacked = os.path.join(work, "orig-unpacked")
    zipfile.ZipFile(orig).extractall(unpacked)
    n_orig = len(importtime(v_lazy, ["-m", "pip", "--version"],
                           env=dict(os.environ, PYTHONPATH=unpacked)))
    n_lazy = len(importtime(v_lazy, ["-m", "pip", "--version"]))
    print("modules imported for `pip --version` on %s: %d original, %d rewritten"
          % (version, n_orig, n_lazy))
    check(0 < n_lazy < n_orig, "fewer modules loaded for pip --version (%d < %d)" % (n_lazy, n_orig))


# ---- Debian's installer -----------------------------------------------------------

def test_installer(version, work):
    sys_py = "/usr/bin/python3"
    if not os.path.exists(sys_py) or run([sys_py, "-c", "import installer"],
                                         check_rc=False).returncode != 0:
        skip("Debian's python3-installer is not installed (apt-get install python3-installer)")
    v = run([sys_py, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"]).stdout.strip()
    orig = pip_wheel(v, sys_py) if bundled_pips(sys_py) else None
    if not orig:
        cands = sorted(glob.glob("/usr/share/python-wheels/pip-*.whl"), key=pip_version)
        orig = cands[-1] if cands else pip_wheel(v, interpreter(v))
    out = os.path.join(work, "out")
    p = lazyc(["-q", "--python", sys_py, "-w", out, orig])
    lazy = glob.glob(os.path.join(out, "*.whl"))
    check(p.returncode == 0 and len(lazy) == 1, "lazyc wheel for the system python3 (%s)" % v)
    if not lazy:
        return
    dest = os.path.join(work, "dest")
    r = run([sys_py, "-m", "installer", "--destdir", dest, lazy[0]], check_rc=False)
    print(r.stdout + r.stderr, end="")
    check(r.returncode == 0, "python3 -m installer --destdir installs it")
    inits = glob.glob(os.path.join(dest, "**", "pip", "__init__.pyc"), recursive=True)
    check(len(inits) == 1 and not os.path.exists(inits[0][:-1]),
          "pip/__init__.pyc installed, no pip/__init__.py")
    if inits:
        lib = os.path.dirname(os.path.dirname(inits[0]))
        env = dict(os.environ, PYTHONPATH=lib)
        r = run([sys_py, "-m", "pip", "--version"], env=env, check_rc=False)
        check(r.returncode == 0 and lib in r.stdout, "the installed pip runs: %s" % r.stdout.strip())


# ---- two wheels in one environment -----------------------------------------------

def dist_files(name):
    body = ("import difflib\nimport fractions\n\n"
            "def work():\n    return '%s:' + str(fractions.Fraction(1, 3)) + "
            "str(len(difflib.ndiff(['a'], ['b']).__next__()))\n") % name
    return {
        "%s/__init__.py" % name: "from . import core\n" + body,
        "%s/core.py" % name: "import json\n\ndef dump(x):\n    return json.dumps(x)\n",
        "%s_top.py" % name: body,
    }


def test_coexist(version, work):
    py = interpreter(version)
    orig_pip = pip_wheel(version, py)
    minor = version.split(".")[1]
    src = os.path.join(work, "src")
    os.makedirs(src)
    alpha = dist_files("alpha")
    alpha["alpha/py2only.py"] = "print 'python 2 only'\n"
    beta = dist_files("beta")
    # A namespace directory (no __init__): the runtime goes into the regular
    # package below it, or to the per-distribution name for a loose module.
    beta["nsb/inner/__init__.py"] = dist_files("inner")["inner/__init__.py"].replace(
        "from . import core\n", "")
    beta["nsb/loose.py"] = dist_files("loose")["loose_top.py"]
    # .data: purelib is compiled, scripts and data are not.
    beta["beta-1.0.data/purelib/betadata/__init__.py"] = dist_files("betadata")["betadata_top.py"]
    beta["beta-1.0.data/scripts/beta-run.py"] = "#!python\nimport beta\nprint(beta.work())\n"
    beta["beta-1.0.data/data/share/beta/notes.py"] = "not python at all(\n"
    wheels = [make_wheel(os.path.join(src, "alpha-1.0-py3-none-any.whl"), alpha),
              make_wheel(os.path.join(src, "beta-1.0-py3-none-any.whl"), beta)]
    out = os.path.join(work, "out")
    p = lazyc(["--python", py, "-w", out] + wheels)
    print(p.stdout + p.stderr, end="")
    check(p.returncode == 0, "two wheels rewritten in one call")
    kept = [l for l in p.stderr.splitlines() if "py2only.py" in l]
    check(len(kept) == 1 and "kept as source" in kept[0] and "alpha-1.0-py3-none-any.whl" in kept[0],
          "a module that does not compile is reported once and kept: %s" % kept)
    check("1 kept as source" in p.stdout and "1 source did not compile and stays .py" in p.stdout,
          "the summary counts it")
    lazy = [os.path.join(out, "%s-1.0-cp3%s-none-any.whl" % (n, minor)) for n in ("alpha", "beta")]
    if not all(os.path.exists(w) for w in lazy):
        check(False, "both outputs written")
        return
    again = os.path.join(work, "again")
    lazyc(["-q", "--python", py, "-w", again] + wheels)
    check(all(open(w, "rb").read() == open(os.path.join(again, os.path.basename(w)), "rb").read()
              for w in lazy), "two runs give identical bytes")
    sde = os.path.join(work, "sde")
    env = dict(os.environ, SOURCE_DATE_EPOCH="315532800")
    run([LAZYC, "wheel", "-q", "--python", py, "-w", sde] + wheels, env=env)
    times = {i.date_time for i in zipfile.ZipFile(os.path.join(sde, os.path.basename(lazy[0]))).infolist()}
    check(times == {(1980, 1, 1, 0, 0, 0)}, "SOURCE_DATE_EPOCH sets every entry time: %s" % times)
    for n, w in zip(("alpha", "beta"), lazy):
        check_record(w)
        names = zipfile.ZipFile(w).namelist()
        if minor != "15":
            check("%s/_lazyc_runtime.pyc" % n in names and "_lazyc_rt_%s.pyc" % n in names
                  and "_lazyc_runtime.pyc" not in names,
                  "%s: runtime inside its package and _lazyc_rt_%s.pyc at the root" % (n, n))
    names = set(zipfile.ZipFile(lazy[0]).namelist())
    check("alpha/py2only.py" in names and "alpha/py2only.pyc" not in names,
          "alpha/py2only.py stays a .py")
    with zipfile.ZipFile(lazy[1]) as z, zipfile.ZipFile(wheels[1]) as zi:
        names = set(z.namelist())
        same = all(z.read(n) == zi.read(n) for n in ("beta-1.0.data/scripts/beta-run.py",
                                                       "beta-1.0.data/data/share/beta/notes.py"))
        check(same, ".data/scripts and .data/data copied unchanged")
        want = {"beta-1.0.data/purelib/betadata/__init__.pyc", "nsb/inner/__init__.pyc",
                "nsb/loose.pyc"}
        if minor != "15":
            want |= {"beta-1.0.data/purelib/betadata/_lazyc_runtime.pyc",
                     "nsb/inner/_lazyc_runtime.pyc"}
        check(want <= names and "nsb/_lazyc_runtime.pyc" not in names,
              ".data/purelib compiled; runtime in the regular package below a namespace "
              "directory, never in the namespace: %s" % sorted(want - names))
    vpy = venv(py, os.path.join(work, "v"), orig_pip, lazy)
    r = run([vpy, "-c", "import sys, betadata, nsb.inner, nsb.loose\n"
             "before = [m for m in %s if m in sys.modules]\n"
             "print(betadata.work(), nsb.inner.work(), nsb.loose.work(), before)" % DEFERRED],
            check_rc=False)
    check(r.returncode == 0 and r.stdout.split() == ["betadata:1/33", "inner:1/33", "loose:1/33", "[]"],
          ".data/purelib package, namespace subpackage and loose module run lazily: %s"
          % (r.stdout + r.stderr).strip()[-200:])
    script = os.path.join(os.path.dirname(vpy), "beta-run.py")
    r = run([vpy, script], check_rc=False) if os.path.exists(script) else None
    check(r is not None and r.returncode == 0 and r.stdout.strip() == "beta:1/33",
          "the .data/scripts script is installed and runs")
    code = ("import sys, {n}, {n}_top\nbefore = [m for m in {d} if m in sys.modules]\n"
            "print({n}.work(), {n}_top.work(), {n}.core.dump([1]), before)")
    for n in ("alpha", "beta"):
        r = run([vpy, "-c", code.format(n=n, d=DEFERRED)], check_rc=False)
        check(r.returncode == 0 and r.stdout.split()[:2] == ["%s:1/33" % n] * 2 and
              r.stdout.strip().endswith("[]"),
              "%s runs, %s not imported before use: %s" % (n, DEFERRED, (r.stdout + r.stderr).strip()[-200:]))
    r = run([vpy, os.path.join(orig_pip, "pip"), "uninstall", "-y", "-q", "alpha"], check_rc=False)
    check(r.returncode == 0, "pip uninstall alpha")
    sp = site_packages(vpy)
    check(not os.path.exists(os.path.join(sp, "alpha")) and
          not os.path.exists(os.path.join(sp, "_lazyc_rt_alpha.pyc")),
          "alpha's files (runtime included) are gone")
    r = run([vpy, "-c", code.format(n="beta", d=DEFERRED)], check_rc=False)
    check(r.returncode == 0 and r.stdout.startswith("beta:1/33"),
          "beta still imports and runs after alpha's uninstall")


# ---- refusals --------------------------------------------------------------------

def test_refuse(version, work):
    py = interpreter(version)
    minor = version.split(".")[1]
    src = os.path.join(work, "src")
    os.makedirs(src)
    good = make_wheel(os.path.join(src, "good-1.0-py3-none-any.whl"), {"good.py": "X = 1\n"})
    cases = [
        (make_wheel(os.path.join(src, "liar-1.0-py3-none-any.whl"),
                    {"liar/__init__.py": "", "liar/x.py": "X = 1\n"}, lie="liar/x.py"),
         "RECORD: hash of liar/x.py does not match"),
        (make_wheel(os.path.join(src, "notawheel.whl"), {"m.py": ""}, name="notawheel"),
         "does not parse"),
        (make_wheel(os.path.join(src, "other-1.0-py3-none-any.whl"), {"m.py": ""},
                    dist_info="alpha-1.0.dist-info"),
         "does not match the file name"),
        (make_wheel(os.path.join(src, "old-1.0-cp311-cp311-linux_x86_64.whl"), {"m.py": ""},
                    tag="cp311-cp311-linux_x86_64") if minor != "11" else None,
         "does not install on CPython 3.%s" % minor),
    ]
    if os.path.exists(HOSTILE):
        evil = os.path.join(src, "evil-1.0-py3-none-any.whl")
        shutil.copy(HOSTILE, evil)
        cases.append((evil, ".."))
    for path, want in cases:
        if path is None:
            continue
        out = os.path.join(work, "out-" + os.path.basename(path))
        p = lazyc(["-q", "--python", py, "-w", out, path])
        lines = p.stderr.strip().splitlines()
        check(p.returncode == 1 and len(lines) == 1 and path in lines[0] and want in lines[0]
              and not os.path.exists(out),
              "refused with one line, exit 1, nothing written: %s" % (lines or [p.stdout]))
    # A refused wheel beside a good one: the good one is written, exit 1.
    out = os.path.join(work, "mixed")
    p = lazyc(["-q", "--python", py, "-w", out, cases[0][0], good])
    check(p.returncode == 1 and os.listdir(out) == ["good-1.0-cp3%s-none-any.whl" % minor],
          "mixed call: the good wheel written, exit 1")
    # Never the input: a version-specific wheel keeps its name.
    same = make_wheel(os.path.join(src, "same-1.0-cp3%s-cp3%s-linux_x86_64.whl" % (minor, minor)),
                      {"same.py": ""}, tag="cp3%s-cp3%s-linux_x86_64" % (minor, minor))
    before = open(same, "rb").read()
    p = lazyc(["-q", "--python", py, "-w", src, same])
    check(p.returncode == 1 and "overwrite the input" in p.stderr and open(same, "rb").read() == before,
          "an output that would replace its input is refused")
    # abi3 is narrowed to this version; the tags chosen are what pip accepts here only.
    abi3 = make_wheel(os.path.join(src, "gamma-1.0-cp38-abi3-manylinux_2_17_x86_64.whl"),
                      {"gamma.py": ""}, tag="cp38-abi3-manylinux_2_17_x86_64")
    out = os.path.join(work, "abi3")
    p = lazyc(["-q", "--python", py, "-w", out, abi3])
    want = "gamma-1.0-cp3%s-cp3%s-manylinux_2_17_x86_64.whl" % (minor, minor)
    check(p.returncode == 0 and os.listdir(out) == [want], "abi3 narrowed: %s" % os.listdir(out))
    orig_pip = pip_wheel(version, py)
    tags = run([py, os.path.join(orig_pip, "pip"), "debug", "--verbose"], check_rc=False).stdout.split()
    check("cp3%s-none-any" % minor in tags and "cp3%s-cp3%s-manylinux_2_17_x86_64" % (minor, minor)
          in tags, "pip debug on %s accepts cp3%s-none-any and cp3%s-cp3%s-<plat>"
          % (version, minor, minor, minor))
    others = [v for v in pythons() if v != version and v not in ("3.14", "3.15")]
    foreign = []
    for v in others[-1:]:
        t = run([pythons()[v], os.path.join(orig_pip, "pip"), "debug", "--verbose"],
                check_rc=False).stdout.split()
        if t:
            foreign.append(v)
            check("cp3%s-none-any" % minor not in t and "py3-none-any" in t,
                  "pip debug on %s does not accept cp3%s-none-any" % (v, minor))
    if not foreign:
        print("NOTE: no other interpreter ran pip debug")


# ---- --keep-source -----------------------------------------------------------------

def test_keep_source(version, work):
    py = interpreter(version)
    minor = version.split(".")[1]
    tag = "cpython-3" + minor
    src = os.path.join(work, "src")
    os.makedirs(src)
    files = dist_files("alpha")
    whl = make_wheel(os.path.join(src, "alpha-1.0-py3-none-any.whl"), files)
    out = os.path.join(work, "out")
    p = lazyc(["-q", "--python", py, "--keep-source", "-w", out, whl])
    warn = [l for l in p.stderr.splitlines() if "--keep-source" in l]
    check(p.returncode == 0 and len(warn) == 1 and "recompiles" in warn[0] and
          "__pycache__" in warn[0], "one warning line: %s" % warn)
    lazy = os.path.join(out, "alpha-1.0-cp3%s-none-any.whl" % minor)
    if not os.path.exists(lazy):
        check(False, "output written")
        return
    check_record(lazy)
    with zipfile.ZipFile(lazy) as z:
        names = z.namelist()
        want = ["alpha/__init__.py", "alpha/__pycache__/__init__.%s.pyc" % tag,
                "alpha/core.py", "alpha/__pycache__/core.%s.pyc" % tag,
                "alpha_top.py", "__pycache__/alpha_top.%s.pyc" % tag]
        check(names[:6] == want, "each .py kept, its pyc right after it: %s" % names[:6])
        pyc = z.read("alpha/__pycache__/core.%s.pyc" % tag)
        check(struct.unpack("<I", pyc[4:8])[0] == 1 and
              pyc[8:16] == source_hash(py, z.read("alpha/core.py")),
              "unchecked-hash header with the real source hash")
    orig_pip = pip_wheel(version, py)
    vpy = venv(py, os.path.join(work, "v"), orig_pip, [lazy], extra=["--no-compile"])
    sp = site_packages(vpy)
    inst = os.path.join(sp, "alpha", "__pycache__", "__init__.%s.pyc" % tag)
    with zipfile.ZipFile(lazy) as z:
        shipped = z.read("alpha/__pycache__/__init__.%s.pyc" % tag)
    r = run([vpy, "-c", "import sys, alpha\nbefore = [m for m in %s if m in sys.modules]\n"
             "print(alpha.work(), before)" % DEFERRED], check_rc=False)
    check(r.returncode == 0 and r.stdout.strip().endswith("[]") and os.path.exists(inst) and
          open(inst, "rb").read() == shipped,
          "pip install --no-compile: the shipped pyc runs (%s)" % (r.stdout + r.stderr).strip()[-120:])


def main():
    global LAZYC
    if len(sys.argv) < 4:
        print(__doc__)
        sys.exit(2)
    LAZYC, kind, version = sys.argv[1:4]
    LAZYC = os.path.abspath(LAZYC)
    if version in ("3.14", "3.15"):
        # The newest pip here (23.2.1) runs on 3.15 but cannot install with its
        # importlib.metadata backend there (abstract WheelDistribution); its
        # pkg_resources backend works.  A pip matter, not lazyc's.
        print("NOTE: _PIP_USE_IMPORTLIB_METADATA=0 for pip on %s" % version)
        os.environ["_PIP_USE_IMPORTLIB_METADATA"] = "0"
    base = sys.argv[4] if len(sys.argv) > 4 else os.path.join(TOP, "build", "wheel-scratch")
    work = os.path.abspath(os.path.join(base, "%s-%s" % (kind, version)))
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    {"pip": test_pip, "installer": test_installer, "coexist": test_coexist,
     "refuse": test_refuse, "keep-source": test_keep_source}[kind](version, work)
    for f in failures:
        print("FAILED: " + f)
    if not failures:
        shutil.rmtree(work, ignore_errors=True)
    finish()


if __name__ == "__main__":
    main()
