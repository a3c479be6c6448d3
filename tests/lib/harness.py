"""What the Python test drivers share: verdict lines, loud skips, running
commands, finding interpreters (tools/pythons.sh), -X importtime.

A driver prints one "ok"/"FAIL" line per check and ends with finish():
exit 0, 1 on any failure, 77 (meson's "skipped") when an interpreter or tool
is missing - except under CI=true, where a missing interpreter fails.
"""
import os
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

failures = []
passed = [0]


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if cond:
        passed[0] += 1
    else:
        failures.append(what)
    return cond


def skip(why):
    print("SKIP: " + why)
    sys.exit(1 if os.environ.get("CI") == "true" else 77)


def finish():
    print("%d passed, %d failed" % (passed[0], len(failures)))
    sys.exit(1 if failures else 0)


def run(cmd, env=None, cwd=None, check_rc=True):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd)
    if check_rc and p.returncode != 0:
        print("command failed: %s\n%s%s" % (" ".join(cmd), p.stdout, p.stderr))
        sys.exit(1)
    return p


def interpreter(version):
    out = run([os.path.join(TOP, "tools", "pythons.sh")]).stdout
    for line in out.splitlines():
        v, path = line.split(None, 1)
        if v == version:
            return path
    skip("no Python %s (tools/pythons.sh --provision)" % version)


def importtime(py, args, env=None, cwd=None):
    """Modules the interpreter imported, in order (start-up modules included)."""
    p = run([py, "-X", "importtime"] + args, env=env, cwd=cwd, check_rc=False)
    names = [l.split("|")[-1].strip() for l in p.stderr.splitlines()
             if l.startswith("import time:")]
    return names[1:]   # the first line is the header


def clean_env(**extra):
    """The environment for a program under test: bytecode writing allowed
    (PYTHONDONTWRITEBYTECODE unset), no inherited PYTHON* paths."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(extra)
    return env
