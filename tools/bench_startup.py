"""Start-up benchmark of real programs: eager vs lazyc vs the alternatives.

Used by tools/bench (the one command) and tools/site_programs.py (check).

Per interpreter, everything a workload loads from pycs comes from a
PYTHONPYCACHEPREFIX tree (the deployment `lazyc compile --pycache-prefix`
makes; the original files are not touched and no copy of site-packages is
needed):

  eager/   the interpreter's stdlib (without its test suite) and its
           site-packages, compiled by the interpreter itself (the pycs it
           already has in __pycache__ are copied, compileall fills the gaps);
  auto/    a copy of eager/ after `lazyc rewrite --policy auto` (one call for
           the site-packages, named from there with --root, one for the
           stdlib);
  all/     the same with `--policy all`;
  runtime/ _lazyc_runtime.py, on PYTHONPATH for every configuration (a prefix
           tree holds no importable sources; 3.15 needs no runtime).

Configurations: eager, auto, all, `lazyloader` (the eager tree with
tools/lazyloader_sitecustomize first on PYTHONPATH: process-wide
importlib.util.LazyLoader) and, on 3.15, `lazy_imports=all` (the eager tree
with `-X lazy_imports=all`).

With a wheelhouse (a folder of wheels, tools/wheelhouse.py of the containers
issue) the site-packages part comes instead from virtual environments, one
per configuration: the original wheels installed into one, the wheels
rewritten by `lazyc wheel --policy auto|all` into the others; the stdlib
then stays eager in all of them (the scope is the installed wheels).
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LAZYLOADER_DIR = os.path.join(HERE, "lazyloader_sitecustomize")

SMALL_JSON = '{"name": "lazyc", "versions": [3.8, 3.15], "ok": true, "nested": {"a": null}}\n'

# (label, arguments after the interpreter, module that must be importable)
# "@name" runs the console script `name` of the interpreter's bin directory.
SITE_WORKLOADS = [
    ("sympy Symbol", ["-c", "import sympy; sympy.Symbol('x')"], "sympy"),
    ("networkx shortest path", ["-c", "import networkx as nx; "
                                "nx.shortest_path(nx.path_graph(50), 0, 49)"], "networkx"),
    ("flask --version", ["@flask", "--version"], "flask"),
    ("pip --version", ["-m", "pip", "--version"], "pip"),
    ("jsonschema --version", ["@jsonschema", "--version"], "jsonschema"),
    ("pygmentize -V", ["@pygmentize", "-V"], "pygments"),
    ("openapi-spec-validator --version", ["@openapi-spec-validator", "--version"],
     "openapi_spec_validator"),
    ("docutils --version", ["@docutils", "--version"], "docutils"),
    ("aws --version", ["@aws", "--version"], "awscli"),
    ("ipython --version", ["@ipython", "--version"], "IPython"),
    ("cfn-lint --version", ["@cfn-lint", "--version"], "cfnlint"),
]
STDLIB_WORKLOADS = [
    ("json.tool", ["-m", "json.tool", "{small_json}"], None),
    ("http.server --help", ["-m", "http.server", "--help"], None),
    ("pydoc json", ["-m", "pydoc", "json"], None),
]
QUICK_WORKLOADS = ("pip --version", "pygmentize -V", "docutils --version", "json.tool")

COMPILE_EXCLUDE = r"[/\\](test|tests|site-packages|dist-packages)[/\\]"


def say(msg):
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


def py_info(py):
    out = subprocess.check_output(
        [py, "-c", "import sys, sysconfig, site\n"
         "print('%d.%d' % sys.version_info[:2]); print(sysconfig.get_paths()['stdlib'])\n"
         "s = [p for p in site.getsitepackages() if p.endswith('site-packages')]\n"
         "print(s[0] if s else '')"],
        universal_newlines=True, stdin=subprocess.DEVNULL).split("\n")
    return out[0], out[1], out[2]


def last_line(text):
    lines = [l for l in text.strip().split("\n") if l.strip()]
    return lines[-1][:160] if lines else ""


# ---------------------------------------------------------------- preparation

def _copy_cached_pycs(src, prefix, tag):
    """Copy SRC's __pycache__/*.TAG.pyc into PREFIX+SRC (the prefix layout)."""
    n = 0
    for d, dirs, files in os.walk(src):
        if os.path.basename(d) != "__pycache__":
            continue
        dest = prefix + os.path.dirname(d)
        for f in files:
            if f.endswith("." + tag + ".pyc"):
                os.makedirs(dest, exist_ok=True)
                shutil.copy2(os.path.join(d, f), dest)
                n += 1
    return n


def _compile_into(py, prefix, src, exclude=None):
    env = dict(os.environ, PYTHONPYCACHEPREFIX=prefix)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cmd = [py, "-m", "compileall", "-q", "-j", "0"] + (["-x", exclude] if exclude else []) + [src]
    subprocess.call(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL)


def count_pycs(root):
    return sum(1 for _, _, fs in os.walk(root) for f in fs if f.endswith(".pyc"))


def stdlib_paths(tree, stdlib, site):
    """The top-level entries of the stdlib part of a prefix TREE (no site-packages)."""
    root = tree + stdlib
    skip = {os.path.basename(site)} if site and os.path.dirname(site) == stdlib else set()
    skip |= {"site-packages", "dist-packages", "_lazyc_runtime.py", "__pycache__"}
    return root, [os.path.join(root, e) for e in sorted(os.listdir(root)) if e not in skip]


def lazyc_rewrite(lazyc, policy, root, paths):
    p = subprocess.run([lazyc, "rewrite", "--policy", policy, "--root", root] + paths,
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    lines = [l for l in (p.stdout + p.stderr).strip().split("\n") if l.strip()]
    return p.returncode, lines[-1] if lines else ""


def lazyc_id(lazyc):
    """Identity of a lazyc binary (size and modification time): prepared trees
    are reused only for the binary that made them."""
    st = os.stat(lazyc)
    return "%s %d %d" % (os.path.realpath(lazyc), st.st_size, int(st.st_mtime))


def _prepared(work, lazyc):
    """The description a finished preparation by LAZYC left in WORK, else
    None (and WORK emptied for a new one)."""
    done = os.path.join(work, "prepared.json")
    if os.path.exists(done):
        with open(done) as f:
            info = json.load(f)
        if info.get("lazyc_id") == lazyc_id(lazyc):
            return info
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    return None


def _finish(work, info, lazyc):
    info["lazyc_id"] = lazyc_id(lazyc)
    with open(os.path.join(work, "small.json"), "w") as f:
        f.write(SMALL_JSON)
    info["small_json"] = os.path.join(work, "small.json")
    with open(os.path.join(work, "prepared.json"), "w") as f:
        json.dump(info, f, indent=1)
    return info


def prepare_prefix(ver, py, lazyc, work, with_site=True):
    """Build the eager/auto/all prefix trees for PY under WORK (reused when
    WORK already holds them).  Returns the description used by run_version."""
    _, stdlib, site = py_info(py)
    if not with_site:
        site = ""
    done = _prepared(work, lazyc)
    if done:
        return done
    tag = "cpython-" + ver.replace(".", "")
    eager = os.path.join(work, "eager")
    t = time.perf_counter()
    if site and os.path.isdir(site):
        _copy_cached_pycs(site, eager, tag)
        _compile_into(py, eager, site)
    _compile_into(py, eager, stdlib, COMPILE_EXCLUDE)
    info = {"version": ver, "python": py, "stdlib": stdlib, "site": site,
            "pycs": count_pycs(eager), "rewrite": {}, "trees": {"eager": eager},
            "runtime": os.path.join(work, "runtime")}
    say("bench %s: compiled %d pycs into %s (%.0f s)" % (ver, info["pycs"], eager,
                                                         time.perf_counter() - t))
    os.makedirs(info["runtime"])
    for policy in ("auto", "all"):
        tree = os.path.join(work, policy)
        subprocess.check_call(["cp", "-a", eager, tree])
        summary = {}
        if site and os.path.isdir(tree + site):
            summary["site-packages"] = lazyc_rewrite(lazyc, policy, tree + site, [tree + site])
        root, paths = stdlib_paths(tree, stdlib, site)
        summary["stdlib"] = lazyc_rewrite(lazyc, policy, root, paths)
        for part, (rc, line) in summary.items():
            say("bench %s: %s %s: %s%s" % (ver, policy, part, line,
                                           "" if rc == 0 else " (exit %d)" % rc))
        rt = os.path.join(root, "_lazyc_runtime.py")
        if os.path.exists(rt) and not os.path.exists(os.path.join(info["runtime"],
                                                                  "_lazyc_runtime.py")):
            shutil.copy2(rt, info["runtime"])
        info["rewrite"][policy] = {k: {"exit": v[0], "summary": v[1]} for k, v in summary.items()}
        info["trees"][policy] = tree
    return _finish(work, info, lazyc)


def prepare_wheelhouse(ver, py, lazyc, work, wheelhouse):
    """One venv per configuration from the wheels in WHEELHOUSE: the originals
    for eager, `lazyc wheel --policy P` output for auto and all.  Returns the
    description, or None (with the reason said) when this cannot be done."""
    wheels = sorted(os.path.join(wheelhouse, w) for w in os.listdir(wheelhouse)
                    if w.endswith(".whl"))
    probe = subprocess.run([lazyc, "wheel", "--help"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, universal_newlines=True)
    if not wheels or probe.returncode != 0 or "not built" in probe.stdout:
        say("bench %s: wheelhouse skipped: %s" % (ver, "no wheels in " + wheelhouse
                                                 if not wheels else "lazyc wheel: "
                                                 + last_line(probe.stdout)))
        return None
    done = _prepared(work, lazyc)
    if done:
        return done
    _, stdlib, _ = py_info(py)
    info = {"version": ver, "python": py, "stdlib": stdlib, "site": "", "wheels": len(wheels),
            "rewrite": {}, "trees": {}, "venvs": {}, "runtime": None}
    pip_whl = [w for w in wheels if os.path.basename(w).startswith("pip-")]
    for config in ("eager", "auto", "all"):
        whls = wheels
        if config != "eager":
            out = os.path.join(work, "wheels-" + config)
            p = subprocess.run([lazyc, "wheel", "--python", py, "--policy", config, "-w", out]
                               + wheels, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               universal_newlines=True)
            info["rewrite"][config] = {"wheels": {"exit": p.returncode,
                                                  "summary": last_line(p.stdout)}}
            if p.returncode not in (0, 1):
                say("bench %s: lazyc wheel failed: %s" % (ver, last_line(p.stdout)))
                return None
            whls = sorted(os.path.join(out, w) for w in os.listdir(out) if w.endswith(".whl"))
        venv = os.path.join(work, "venv-" + config)
        subprocess.check_call([py, "-m", "venv", "--without-pip", venv])
        vpy = os.path.join(venv, "bin", "python")
        # pip from the wheelhouse itself (runs from its wheel), so interpreters
        # without ensurepip (Debian's) install the same way.
        pip = [vpy, os.path.join(pip_whl[0], "pip")] if pip_whl else [py, "-m", "pip", "--python",
                                                                       vpy]
        p = subprocess.run(pip + ["install", "--no-index", "--no-deps", "-q"] + whls,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True)
        if p.returncode != 0:
            say("bench %s: installing into %s failed: %s" % (ver, venv, last_line(p.stdout)))
            return None
        info["venvs"][config] = vpy
    return _finish(work, info, lazyc)


def _pip_wheel(found):
    """The newest pip wheel of the ensurepip bundles of the interpreters FOUND."""
    best = None
    for py in found.values():
        out = subprocess.run([py, "-c", "import ensurepip, os; print(os.path.join("
                              "os.path.dirname(ensurepip.__file__), '_bundled'))"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             universal_newlines=True, stdin=subprocess.DEVNULL).stdout.strip()
        if not out or not os.path.isdir(out):
            continue
        for w in os.listdir(out):
            m = re.match(r"pip-([0-9.]+)-py3-none-any\.whl$", w)
            if m:
                key = tuple(int(x) for x in m.group(1).split("."))
                if best is None or key > best[0]:
                    best = (key, os.path.join(out, w))
    return best[1] if best else None


def prepare_pip_venv(ver, py, work, found):
    """A venv of PY holding pip only: from PY's own ensurepip bundle (offline),
    else (Debian's interpreters have no ensurepip) from the newest pip wheel of
    another interpreter's bundle, installed by running pip from that wheel with
    --no-index.  Returns (venv python, how) or (None, reason)."""
    venv = os.path.join(work, "venv-pip")
    vpy = os.path.join(venv, "bin", "python")
    stamp = os.path.join(venv, "lazyc-bench.txt")
    if os.path.exists(stamp):
        with open(stamp) as f:
            return vpy, f.read().strip()
    shutil.rmtree(venv, ignore_errors=True)
    p = subprocess.run([py, "-m", "venv", venv], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True)
    how = "pip from the interpreter's ensurepip bundle"
    if p.returncode != 0:
        shutil.rmtree(venv, ignore_errors=True)
        whl = _pip_wheel(found)
        if not whl:
            return None, "no ensurepip and no pip wheel on the machine"
        subprocess.check_call([py, "-m", "venv", "--without-pip", venv])
        p = subprocess.run([vpy, os.path.join(whl, "pip"), "install", "--no-index", "-q", whl],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True)
        if p.returncode != 0:
            return None, "installing %s failed: %s" % (os.path.basename(whl), last_line(p.stdout))
        how = "%s (another interpreter's ensurepip bundle, --no-index)" % os.path.basename(whl)
    with open(stamp, "w") as f:
        f.write(how + "\n")
    return vpy, how


# ---------------------------------------------------------------- running

class Config:
    """How one configuration runs: interpreter, extra options, environment."""

    def __init__(self, name, py, extra, prefix, pythonpath):
        self.name, self.py, self.extra = name, py, list(extra)
        self.env = dict(os.environ)
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        for k in ("PYTHONPYCACHEPREFIX", "PYTHONPATH", "LAZYC_EAGER", "PYTHON_LAZY_IMPORTS",
                  "LAZYLOADER_DISABLE", "LAZYLOADER_REPORT", "PYTHONSTARTUP"):
            self.env.pop(k, None)
        if prefix:
            self.env["PYTHONPYCACHEPREFIX"] = prefix
        if pythonpath:
            self.env["PYTHONPATH"] = os.pathsep.join(pythonpath)

    def argv(self, args, extra=()):
        bindir = os.path.dirname(self.py)
        args = list(args)
        if args and args[0].startswith("@"):
            args[0] = os.path.join(bindir, args[0][1:])
        return [self.py] + self.extra + list(extra) + args


def configs_for(info, want):
    ver = info["version"]
    out = []
    rt = [info["runtime"]] if info.get("runtime") and os.path.exists(
        os.path.join(info["runtime"], "_lazyc_runtime.py")) else []
    if info.get("venvs"):
        v = info["venvs"]
        base = [("eager", v["eager"], [], None, []), ("auto", v["auto"], [], None, []),
                ("all", v["all"], [], None, []),
                ("lazyloader", v["eager"], [], None, [LAZYLOADER_DIR])]
        if ver == "3.15":
            base.append(("lazy_imports=all", v["eager"], ["-X", "lazy_imports=all"], None, []))
    else:
        t, py = info["trees"], info["python"]
        base = [("eager", py, [], t["eager"], rt), ("auto", py, [], t["auto"], rt),
                ("all", py, [], t["all"], rt),
                ("lazyloader", py, [], t["eager"], [LAZYLOADER_DIR] + rt)]
        if ver == "3.15":
            base.append(("lazy_imports=all", py, ["-X", "lazy_imports=all"], t["eager"], rt))
    for name, py, extra, prefix, pp in base:
        if name in want or (name == "lazy_imports=all" and "native" in want):
            out.append(Config(name, py, extra, prefix, pp))
    return out


def workload_available(cfg, label, args, module):
    if args[0].startswith("@") and not os.path.exists(
            os.path.join(os.path.dirname(cfg.py), args[0][1:])):
        return False
    if module:
        p = subprocess.run([cfg.py, "-c", "import importlib.util, sys; "
                            "sys.exit(importlib.util.find_spec(%r) is None)" % module],
                           env=cfg.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return p.returncode == 0
    return True


_ADDR = re.compile(r"0x[0-9a-f]+")


def normalise(text, cfg):
    text = _ADDR.sub("0x?", text)
    prefix = cfg.env.get("PYTHONPYCACHEPREFIX")
    if prefix:
        text = text.replace(prefix, "<prefix>")
    return text.replace(os.path.dirname(os.path.dirname(cfg.py)), "<env>")


def first_difference(a, b):
    """The first line where outputs A and B differ, as "A-line | B-line"."""
    la, lb = a.split("\n"), b.split("\n")
    for x, y in zip(la + [""] * len(lb), lb + [""] * len(la)):
        if x != y:
            return "%s | %s" % (x.strip()[:100] or "(nothing)", y.strip()[:100] or "(nothing)")
    return ""


def run_once(cfg, args, extra=(), env_extra=None):
    env = cfg.env if not env_extra else dict(cfg.env, **env_extra)
    t = time.perf_counter()
    p = subprocess.run(cfg.argv(args, extra), env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                       errors="replace", cwd=tempfile.gettempdir(), timeout=600)
    return p.returncode, p.stdout, p.stderr, time.perf_counter() - t


def peak_rss_kib(cfg, args):
    """Peak RSS of one run, from the child's rusage (KiB)."""
    argv = cfg.argv(args)
    pid = os.fork()
    if pid == 0:
        try:
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            os.chdir(tempfile.gettempdir())
            os.execve(argv[0], argv, cfg.env)
        finally:
            os._exit(127)
    _, _, ru = os.wait4(pid, 0)
    return ru.ru_maxrss


def count_modules(cfg, args):
    """Modules imported (-X importtime lines).  Under LazyLoader a module is
    "imported" before its body runs: the ones still lazy at exit are
    reported by the sitecustomize and subtracted (executed modules)."""
    fd, report = tempfile.mkstemp(prefix="lazyloader_")
    os.close(fd)
    try:
        _, _, err, _ = run_once(cfg, args, ("-X", "importtime"), {"LAZYLOADER_REPORT": report})
        n = sum(1 for line in err.split("\n") if line.startswith("import time:") and
                "| imported package" not in line)
        with open(report) as f:
            got = f.read().split()
        not_run = int(got[1]) if len(got) >= 2 else 0
    finally:
        os.unlink(report)
    return n - not_run, not_run


def bench_workload(cfgs, label, args, runs, rss_runs=3):
    """Interleaved rounds (one warm-up, then RUNS): every configuration once per
    round, in the same order.  Returns {config: result}."""
    times = {c.name: [] for c in cfgs}
    status = {}
    first_out = {}
    first_err = {}
    for rnd in range(runs + 1):
        for c in cfgs:
            rc, out, err, secs = run_once(c, args)
            if rnd == 0:
                status[c.name] = (rc, last_line(err))
                first_out[c.name] = normalise(out, c)
                first_err[c.name] = last_line(out + "\n" + err)
            elif rc != status[c.name][0]:
                status[c.name] = (rc, "exit status varies: " + last_line(err))
            if rnd:
                times[c.name].append(secs)
    res = {}
    base_rc = status[cfgs[0].name][0]
    for c in cfgs:
        rc, err = status[c.name]
        mods, not_run = count_modules(c, args)
        rss = statistics.median(peak_rss_kib(c, args) for _ in range(rss_runs))
        ts = times[c.name]
        error = None
        if rc != 0 or rc != base_rc:
            error = "exit %d: %s" % (rc, err)
        res[c.name] = {
            "median_s": statistics.median(ts), "min_s": min(ts), "max_s": max(ts),
            "spread_s": max(ts) - min(ts), "times_s": [round(t, 5) for t in ts],
            "modules": mods, "modules_not_executed": not_run, "peak_rss_kib": rss,
            "exit": rc, "error": error,
            "output_same": first_out[c.name] == first_out[cfgs[0].name],
        }
        if not res[c.name]["output_same"]:
            res[c.name]["output_last_line"] = first_err[c.name]
            res[c.name]["output_first_difference"] = first_difference(
                first_out[cfgs[0].name], first_out[c.name])
    e = res[cfgs[0].name]
    for c in cfgs:
        r = res[c.name]
        r["time_ratio"] = r["median_s"] / e["median_s"]
        r["modules_ratio"] = r["modules"] / e["modules"] if e["modules"] else None
        r["rss_ratio"] = r["peak_rss_kib"] / e["peak_rss_kib"]
    return res


def run_version(info, workloads, want, runs, rss_runs=3):
    """Bench every available workload of WORKLOADS on one prepared version."""
    cfgs = configs_for(info, want)
    rows = []
    for label, args, module in workloads:
        args = [a.replace("{small_json}", info["small_json"]) for a in args]
        if not workload_available(cfgs[0], label, args, module):
            continue
        load = os.getloadavg()[0]
        t = time.perf_counter()
        res = bench_workload(cfgs, label, args, runs, rss_runs)
        rows.append({"version": info["version"], "workload": label,
                     "command": " ".join(["python"] + args),
                     "scope": "wheelhouse venvs" if info.get("venvs") else
                     ("stdlib + site-packages" if info.get("site") else "stdlib"),
                     "load_before": round(load, 2), "configs": res})
        say("bench %s: %-34s %s (%.0f s, load %.2f)" % (
            info["version"], label, "  ".join(
                "%s %.3f%s" % (k, v["median_s"], "!" if v["error"] else "")
                for k, v in res.items()), time.perf_counter() - t, load))
    return rows


# ---------------------------------------------------------------- which import must stay eager

# On PYTHONPATH before the runtime: a lazy-import filter (lazyc's runtime on
# 3.8-3.14, PEP 810's sys.set_lazy_imports_filter on 3.15) that logs every
# lazy statement executed and keeps the listed ones eager.
FILTER_SITECUSTOMIZE = r"""
import os, sys
def _install():
    log = os.environ.get("LAZYC_BENCH_FILTER_LOG")
    listed = os.environ.get("LAZYC_BENCH_EAGER")
    eager = set()
    if listed:
        with open(listed) as f:
            eager = set(l.rstrip("\n") for l in f if l.strip())
    packages = tuple(k[:-2] for k in eager if k.endswith("\t*"))
    seen = set()
    def keep_lazy(importer, name, fromlist):
        key = "%s\t%s\t%s" % (importer, name, ",".join(fromlist or ()))
        if log and key not in seen:
            seen.add(key)
            with open(log, "a") as f:
                f.write(key + "\n")
        if key in eager:
            return False
        for p in packages:
            if importer == p or (importer or "").startswith(p + "."):
                return False
        return True
    if hasattr(sys, "set_lazy_imports_filter"):
        sys.set_lazy_imports_filter(keep_lazy)
    else:
        import _lazyc_runtime
        _lazyc_runtime.set_filter(keep_lazy)
_install()
"""


def _filter_config(cfg, work):
    d = os.path.join(work, "eager-filter")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "sitecustomize.py"), "w") as f:
        f.write(FILTER_SITECUSTOMIZE)
    c = Config(cfg.name, cfg.py, cfg.extra, None, [])
    c.env = dict(cfg.env)
    c.env["PYTHONPATH"] = os.pathsep.join([d] + [p for p in cfg.env.get("PYTHONPATH", "").split(
        os.pathsep) if p])
    return c


def find_eager_imports(cfg, eager_cfg, args, work, most=6, unit="statement"):
    """For a configuration whose run differs from eager: the lazy import
    statements (importer, target, fromlist) that must stay eager for the run
    to match (exit status and output).  Binary search over the statements in
    the order they executed (with the first ones eager, does it pass?), then
    again with the culprit found kept eager, up to MOST culprits.  With UNIT
    "package" the units are the importers' top-level packages (every lazy
    statement in the modules of the package).  Returns (list of
    descriptions, whether that list suffices)."""
    rc0, out0, _, _ = run_once(eager_cfg, args)
    want = (rc0, normalise(out0, eager_cfg))
    fc = _filter_config(cfg, work)
    listing = os.path.join(work, "eager-filter", "eager.txt")
    log = os.path.join(work, "eager-filter", "log.txt")

    def attempt(keys, record=False):
        with open(listing, "w") as f:
            f.write("".join(k + "\n" for k in keys))
        extra = {"LAZYC_BENCH_EAGER": listing}
        if record:
            open(log, "w").close()
            extra["LAZYC_BENCH_FILTER_LOG"] = log
        rc, out, _, _ = run_once(fc, args, env_extra=extra)
        return (rc, normalise(out, fc)) == want

    needed = []
    for _ in range(most):
        if attempt(needed, record=True):
            return [_describe(k) for k in needed], True
        cands = []
        for _ in range(8):
            # Statements that run only once others are eager join the list.
            with open(log) as f:
                new = [l.rstrip("\n") for l in f if l.strip()]
            if unit == "package":
                new = [k.split("\t")[0].split(".")[0] + "\t*" for k in new]
            new = [k for i, k in enumerate(new) if k not in needed and k not in cands and
                   k not in new[:i]]
            cands += new
            if not new or attempt(needed + cands, record=True):
                break
        if not cands or not attempt(needed + cands):
            break
        lo, hi = 0, len(cands)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if attempt(needed + cands[:mid]):
                hi = mid
            else:
                lo = mid
        needed.append(cands[hi - 1])
    ok = attempt(needed)
    return [_describe(k) for k in needed], ok


def _describe(key):
    if key.endswith("\t*"):
        return "every lazy import in the %s package" % key[:-2]
    importer, name, fromlist = (key.split("\t") + ["", ""])[:3]
    stmt = "from %s import %s" % (name, fromlist.replace(",", ", ")) if fromlist else \
        "import " + name
    return "%s: %s" % (importer, stmt)
