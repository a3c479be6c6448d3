#!/usr/bin/env python3
"""Behavioural end-to-end cases for `lazyc rewrite`.

Every directory tests/lazy/cases/<case>/ is a small tree of Python modules
with an entry module case_main.py.  For every interpreter (3.8-3.15) and every
case this runner

  1. copies the case into a fresh temporary directory DIR,
  2. compiles it with that interpreter (timestamp pycs in __pycache__),
  3. unless --eager-baseline: [lazyc explain check], `lazyc rewrite OPTS DIR`
     (in place), [rewrite-twice check],
  4. runs `PY -m case_main` with cwd=DIR, PYTHONDONTWRITEBYTECODE=1 (the
     rewritten pycs are never overwritten), no PYTHON* variables from the
     caller, LAZYC_EXPECT=lazy (rewritten) or =eager (baseline),
  5. passes when the exit status is 0 and the last stdout line is "OK".

Header comments at the top of case_main.py (see README.md):
  # lazyc: --policy all              options for `lazyc rewrite` (default: none = auto)
  # lazyc-eager-ok: no               only meaningful rewritten: skipped by --eager-baseline
  # lazyc-env: LAZYC_EAGER=1         extra environment for the run
  # lazyc-skip-rewritten: 3.15 WHY   skip these versions unless --eager-baseline
  # lazyc-check: explain rewrite-twice   runner-level checks (need lazyc)
Import lines may carry `# expect: lazy`, `# expect: eager` or `# expect: any`:
the explain check compares them with `lazyc explain`, and --simulate-native
turns the `lazy` ones into PEP 810 `lazy import` statements (3.15 only).

Stdlib only; runs with any Python 3.8+.
"""

import argparse
import concurrent.futures
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CASES_DIR = os.path.join(HERE, "cases")
DEFAULT_LAZYC = os.path.join(ROOT, "build", "rewriter", "lazyc")
VERSIONS = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15"]
HEADER_RE = re.compile(r"^#\s*(lazyc(?:-[a-z-]+)?)\s*:\s*(.*?)\s*$")
EXPECT_RE = re.compile(r"#\s*expect:\s*(lazy|eager|any)\b")
KNOWN_KEYS = {"lazyc", "lazyc-eager-ok", "lazyc-env", "lazyc-skip-rewritten", "lazyc-check"}
KNOWN_CHECKS = {"explain", "rewrite-twice"}
TAIL = 25


class CaseError(Exception):
    """A malformed case (bad header): reported as a failure of that case."""


class Case:
    def __init__(self, name):
        self.name = name
        self.dir = os.path.join(CASES_DIR, name)
        self.opts = []
        self.eager_ok = True
        self.env = {}
        self.skip_rewritten = {}     # version -> reason
        self.checks = set()
        self.error = None
        try:
            self._parse_header()
        except CaseError as e:
            self.error = str(e)

    def _parse_header(self):
        with open(os.path.join(self.dir, "case_main.py"), encoding="utf-8") as f:
            for line in f:
                if not line.startswith("#"):
                    break
                m = HEADER_RE.match(line)
                if not m:
                    continue
                key, value = m.group(1), m.group(2)
                if key not in KNOWN_KEYS:
                    raise CaseError("unknown header key %r" % key)
                if key == "lazyc":
                    self.opts += shlex.split(value)
                elif key == "lazyc-eager-ok":
                    if value not in ("yes", "no"):
                        raise CaseError("lazyc-eager-ok must be yes or no")
                    self.eager_ok = value == "yes"
                elif key == "lazyc-env":
                    for item in shlex.split(value):
                        k, sep, v = item.partition("=")
                        if not sep:
                            raise CaseError("lazyc-env wants NAME=VALUE, got %r" % item)
                        self.env[k] = v
                elif key == "lazyc-skip-rewritten":
                    vers, _, why = value.partition(" ")
                    for v in vers.split(","):
                        self.skip_rewritten[v] = why.strip() or "declared by the case"
                elif key == "lazyc-check":
                    for c in value.split():
                        if c not in KNOWN_CHECKS:
                            raise CaseError("unknown lazyc-check %r" % c)
                        self.checks.add(c)

    def policy_opts(self):
        """The --policy option of the header, for `lazyc explain`."""
        out = []
        for i, o in enumerate(self.opts):
            if o == "--policy" and i + 1 < len(self.opts):
                out += [o, self.opts[i + 1]]
            elif o.startswith("--policy="):
                out.append(o)
        return out


def discover_cases():
    names = []
    for n in sorted(os.listdir(CASES_DIR)):
        if os.path.isfile(os.path.join(CASES_DIR, n, "case_main.py")):
            names.append(n)
    return names


def find_pythons():
    """{version: path} from tools/pythons.sh."""
    found = {}
    try:
        out = subprocess.run(["sh", os.path.join(ROOT, "tools", "pythons.sh")], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             universal_newlines=True, timeout=120).stdout
    except (OSError, subprocess.SubprocessError) as e:
        print("run_cases: tools/pythons.sh failed: %s" % e, file=sys.stderr)
        return found
    for line in out.splitlines():
        parts = line.split(None, 1)
        if len(parts) == 2 and parts[0] in VERSIONS:
            found[parts[0]] = parts[1].strip()
    return found


def clean_env():
    """The caller's environment without anything that changes how Python or lazyc behave."""
    env = {}
    for k, v in os.environ.items():
        if k.startswith("PYTHON") or k.startswith("LAZYC_") or k == "SOURCE_DATE_EPOCH":
            continue
        env[k] = v
    return env


def run(cmd, cwd=None, env=None, timeout=120, verbose=False, log=None):
    if verbose and log is not None:
        log.append("$ " + " ".join(shlex.quote(c) for c in cmd) + ("   (cwd %s)" % cwd if cwd else ""))
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, errors="replace", timeout=timeout)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        def text(b):
            if b is None:
                return ""
            return b if isinstance(b, str) else b.decode("utf-8", "replace")
        return None, text(e.stdout), text(e.stderr) + "\n[timeout after %ss]" % timeout
    except OSError as e:
        return 127, "", "cannot run %s: %s" % (cmd[0], e)


def tree_hashes(top):
    out = {}
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames.sort()
        for fn in sorted(filenames):
            p = os.path.join(dirpath, fn)
            with open(p, "rb") as f:
                out[os.path.relpath(p, top)] = hashlib.sha256(f.read()).hexdigest()
    return out


def diff_hashes(a, b):
    changed = sorted(k for k in a if k in b and a[k] != b[k])
    added = sorted(k for k in b if k not in a)
    removed = sorted(k for k in a if k not in b)
    parts = []
    if changed:
        parts.append("changed: " + ", ".join(changed))
    if added:
        parts.append("added: " + ", ".join(added))
    if removed:
        parts.append("removed: " + ", ".join(removed))
    return "; ".join(parts)


def expectations(top):
    """[(relpath, line, 'lazy'|'eager')] from `# expect:` markers of the .py files under top."""
    out = []
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for fn in sorted(filenames):
            if not fn.endswith(".py"):
                continue
            p = os.path.join(dirpath, fn)
            with open(p, encoding="utf-8") as f:
                for i, line in enumerate(f, 1):
                    m = EXPECT_RE.search(line)
                    if m and m.group(1) != "any":
                        out.append((os.path.relpath(p, top), i, m.group(1)))
    return out


EXPLAIN_LINE_RE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<rest>.*)$")
DECISION_RE = re.compile(r"\b(lazy|eager)\b")


def module_key(path, top):
    """'TOP/pkg/__pycache__/mod.cpython-312.pyc' or 'TOP/pkg/mod.py' -> 'pkg/mod'."""
    path = path.replace(os.sep, "/")
    topx = top.replace(os.sep, "/").rstrip("/") + "/"
    if path.startswith(topx):
        path = path[len(topx):]
    parts = path.split("/")
    if len(parts) >= 2 and parts[-2] == "__pycache__":
        parts = parts[:-2] + parts[-1:]
    parts[-1] = parts[-1].split(".", 1)[0]
    return "/".join(parts)


def check_explain(output, expects, top):
    """Compare `lazyc explain` output with the markers; return a list of problems.

    An output line counts for a marker when its FILE names the same module (the
    source or its pyc, absolute or relative) and its LINE is the marker's line;
    the decision is the first word lazy/eager after "LINE:".
    """
    seen = []   # (module key, line, decision)
    for raw in output.splitlines():
        m = EXPLAIN_LINE_RE.match(raw.strip())
        if not m:
            continue
        d = DECISION_RE.search(m.group("rest"))
        if d:
            seen.append((module_key(m.group("file"), top), int(m.group("line")), d.group(1)))
    problems = []
    for rel, line, want in expects:
        key = module_key(rel, top)
        got = [dec for k, l, dec in seen if l == line and (k == key or k.endswith("/" + key))]
        if not got:
            problems.append("%s:%d: not listed (want %s)" % (rel, line, want))
        elif set(got) != {want}:
            problems.append("%s:%d: %s, want %s" % (rel, line, "/".join(got), want))
    return problems


def simulate_native(top):
    """Turn `# expect: lazy` import lines into PEP 810 `lazy` imports (3.15 only)."""
    for dirpath, dirnames, filenames in os.walk(top):
        for fn in filenames:
            if not fn.endswith(".py"):
                continue
            p = os.path.join(dirpath, fn)
            with open(p, encoding="utf-8") as f:
                lines = f.readlines()
            changed = False
            for i, line in enumerate(lines):
                m = EXPECT_RE.search(line)
                s = line.lstrip()
                if m and m.group(1) == "lazy" and (s.startswith("import ") or s.startswith("from ")):
                    lines[i] = line[:len(line) - len(s)] + "lazy " + s
                    changed = True
            if changed:
                with open(p, "w", encoding="utf-8") as f:
                    f.writelines(lines)


def tail(text, n=TAIL):
    lines = text.rstrip().splitlines()
    return lines[-n:]


class Result:
    def __init__(self, status, version, case, reason="", details=None, log=None):
        self.status = status
        self.version = version
        self.case = case
        self.reason = reason
        self.details = details or []
        self.log = log or []


def run_case(case, version, python, args):
    log = []
    v = args.verbose
    mode = "eager" if args.eager_baseline else ("native-sim" if args.simulate_native else "lazy")

    def res(status, reason="", details=None):
        return Result(status, version, case.name, reason, details, log)

    if case.error:
        return res("FAIL", "bad case header: " + case.error)
    if args.eager_baseline and not case.eager_ok:
        return res("SKIP", "only meaningful rewritten (lazyc-eager-ok: no)")
    if not args.eager_baseline and version in case.skip_rewritten:
        return res("SKIP", case.skip_rewritten[version])
    if args.simulate_native and version != "3.15":
        return res("SKIP", "--simulate-native needs 3.15")

    tmp = tempfile.mkdtemp(prefix="lazyc-%s-%s-" % (version, case.name))
    try:
        top = os.path.join(tmp, case.name)
        shutil.copytree(case.dir, top, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        if args.simulate_native:
            simulate_native(top)
        env = clean_env()
        rc, out, err = run([python, "-m", "compileall", "-q", "-f", "--invalidation-mode", "timestamp", top],
                           env=env, timeout=args.timeout, verbose=v, log=log)
        if rc != 0:
            return res("FAIL", "compileall failed (exit %s)" % rc, tail(out + err))

        rewritten_note = ""
        explain_failure = None      # reported after the run, so that the run still happens
        if mode == "lazy":
            if "explain" in case.checks or args.explain_all:
                rc, out, err = run([args.lazyc, "explain"] + case.policy_opts() + [top],
                                   env=env, timeout=args.timeout, verbose=v, log=log)
                if rc != 0:
                    return res("FAIL", "lazyc explain exit %s" % rc, tail(out + err))
                problems = check_explain(out, expectations(top), top)
                if problems:
                    explain_failure = ("explain: %d marker(s) disagree" % len(problems),
                                       problems + ["--- lazyc explain output:"] + tail(out, 60))
                if v:
                    log.append("explain agrees with %d marker(s)" % len(expectations(top)))
            before = tree_hashes(top)
            rc, out, err = run([args.lazyc, "rewrite"] + case.opts + [top],
                               env=env, timeout=args.timeout, verbose=v, log=log)
            if rc != 0:
                return res("FAIL", "lazyc rewrite exit %s" % rc, tail(out + err))
            once = tree_hashes(top)
            changed = [k for k in once if before.get(k) != once[k]]
            rewritten_note = "(lazyc rewrite changed %d of %d files; added: %s)" % (
                len([k for k in changed if k in before]), len(before),
                ", ".join(sorted(k for k in once if k not in before)) or "none")
            if v:
                log.append(rewritten_note + " " + (diff_hashes(before, once) or ""))
            if "rewrite-twice" in case.checks:
                rc, out, err = run([args.lazyc, "rewrite"] + case.opts + [top],
                                   env=env, timeout=args.timeout, verbose=v, log=log)
                if rc != 0:
                    return res("FAIL", "second lazyc rewrite exit %s" % rc, tail(out + err))
                twice = tree_hashes(top)
                if twice != once:
                    return res("FAIL", "rewriting a rewritten tree is not a no-op: " + diff_hashes(once, twice))
                if v:
                    log.append("rewrite twice: no byte changed (%d files)" % len(once))
        snapshot = tree_hashes(top)

        env = clean_env()
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["LAZYC_EXPECT"] = "eager" if mode == "eager" else "lazy"
        env.update(case.env)
        rc, out, err = run([python, "-m", "case_main"], cwd=top, env=env,
                           timeout=args.timeout, verbose=v, log=log)
        lines = [l for l in out.splitlines() if l.strip()]
        last = lines[-1].strip() if lines else ""
        after = tree_hashes(top)
        if rc is None:
            return res("FAIL", "timeout after %ss" % args.timeout, tail(out + err) + [rewritten_note])
        if rc != 0 or last != "OK":
            reason = "exit %s, last line %r" % (rc, last[:80])
            details = tail(err) or tail(out)
            if rewritten_note:
                details.append(rewritten_note)
            if explain_failure:
                reason += "; " + explain_failure[0]
                details += explain_failure[1]
            return res("FAIL", reason, details)
        if after != snapshot:
            return res("FAIL", "the run changed the tree (pycs overwritten?): " + diff_hashes(snapshot, after))
        if explain_failure:
            return res("FAIL", explain_failure[0] + " (the run passed)", explain_failure[1])
        if v:
            log.extend("  | " + l for l in tail(out + err, 10))
        return res("PASS")
    finally:
        if args.keep:
            log.append("kept " + tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lazyc", default=DEFAULT_LAZYC, help="lazyc binary (default: %(default)s)")
    ap.add_argument("--python", action="append", default=[], metavar="VERSION[=PATH]",
                    help="interpreter to use (repeatable); default: all of tools/pythons.sh")
    ap.add_argument("--case", action="append", default=[], metavar="NAME", help="run only this case (repeatable)")
    ap.add_argument("--eager-baseline", action="store_true",
                    help="do not rewrite; run every case eagerly (LAZYC_EXPECT=eager)")
    ap.add_argument("--simulate-native", action="store_true",
                    help="developer check of the cases themselves: instead of lazyc, prefix the "
                         "'# expect: lazy' imports with PEP 810 'lazy' and run on 3.15")
    ap.add_argument("--explain-all", action="store_true",
                    help="check `lazyc explain` against the markers of every case, not only "
                         "the cases with '# lazyc-check: explain'")
    ap.add_argument("-j", "--jobs", type=int, default=max(2, os.cpu_count() or 2),
                    help="parallel runs (default: %(default)s)")
    ap.add_argument("--timeout", type=int, default=180, help="seconds per command (default: %(default)s)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directories")
    ap.add_argument("--list", action="store_true", help="list the cases and their headers")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    if args.eager_baseline and args.simulate_native:
        ap.error("--eager-baseline and --simulate-native exclude each other")

    all_cases = discover_cases()
    names = args.case or all_cases
    unknown = [n for n in names if n not in all_cases]
    if unknown:
        ap.error("unknown case(s): %s (have: %s)" % (", ".join(unknown), ", ".join(all_cases)))
    cases = [Case(n) for n in names]
    if args.list:
        for c in cases:
            print("%-42s opts=%s eager_ok=%s env=%s skip_rewritten=%s checks=%s%s" % (
                c.name, " ".join(c.opts) or "-", "yes" if c.eager_ok else "no", c.env or "-",
                ",".join(sorted(c.skip_rewritten)) or "-", ",".join(sorted(c.checks)) or "-",
                "  ERROR: " + c.error if c.error else ""))
        return 0

    ci = os.environ.get("CI", "").lower() == "true"
    pythons = {}
    wanted = []
    found = None
    for spec in args.python:
        ver, sep, path = spec.partition("=")
        if not sep:
            if found is None:
                found = find_pythons()
            path = found.get(ver, "")
        pythons[ver] = path
        wanted.append(ver)
    if not args.python:
        found = find_pythons()
        wanted = ["3.15"] if args.simulate_native else list(VERSIONS)
        pythons = {v: found.get(v, "") for v in VERSIONS}
    missing = [ver for ver in wanted if not pythons[ver] or not os.access(pythons[ver], os.X_OK)]
    sys.stdout.flush()
    for ver in missing:
        print("run_cases: *** interpreter for %s NOT FOUND (%s) -- its cases are %s ***" % (
            ver, pythons[ver] or "not in tools/pythons.sh", "FAILED (CI=true)" if ci else "SKIPPED"),
            file=sys.stderr)

    needs_lazyc = not args.eager_baseline and not args.simulate_native
    if needs_lazyc and not (os.path.isfile(args.lazyc) and os.access(args.lazyc, os.X_OK)):
        print("run_cases: lazyc not found at %s (build it, pass --lazyc PATH, or use --eager-baseline)"
              % args.lazyc, file=sys.stderr)
        return 2

    tasks = []
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs))
    for ver in wanted:
        for c in cases:
            if ver in missing:
                st = "FAIL" if ci else "SKIP"
                fut = concurrent.futures.Future()
                fut.set_result(Result(st, ver, c.name, "interpreter %s not found" % ver))
            else:
                fut = pool.submit(run_case_safe, c, ver, pythons[ver], args)
            tasks.append(fut)

    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    mode = "eager baseline" if args.eager_baseline else ("3.15 native simulation" if args.simulate_native
                                                         else "rewritten with " + args.lazyc)
    print("lazy cases: %d case(s) x %d version(s), %s" % (len(cases), len(wanted), mode))
    for fut in tasks:
        r = fut.result()
        counts[r.status] += 1
        line = "%s %-5s %s" % (r.status, r.version, r.case)
        if r.reason:
            line += ": " + r.reason
        print(line, flush=True)
        if r.status == "FAIL" or args.verbose:
            for d in r.details:
                print("      " + d)
        if args.verbose:
            for l in r.log:
                print("    " + l)
    pool.shutdown()
    if missing:
        print("interpreters NOT FOUND: %s" % ", ".join(missing))
    print("%d passed, %d failed, %d skipped" % (counts["PASS"], counts["FAIL"], counts["SKIP"]))
    return 1 if counts["FAIL"] else 0


def run_case_safe(case, version, python, args):
    try:
        return run_case(case, version, python, args)
    except Exception as e:   # a runner bug must not hide the other results
        import traceback
        return Result("FAIL", version, case.name, "runner error: %r" % e,
                      traceback.format_exc().splitlines()[-TAIL:])


if __name__ == "__main__":
    sys.exit(main())
