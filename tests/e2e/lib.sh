# lib.sh - shared plumbing for the end-to-end tests (sourced, POSIX sh).
#
# Every e2e test runs against real interpreters found by tools/pythons.sh.
# A missing interpreter is a loud SKIP (exit 77) on a developer machine and
# a failure in CI (CI=true), where all eight versions are required.

E2E_DIR=$(cd "$(dirname "$0")" && pwd)
SRC_ROOT=$(cd "$E2E_DIR/../.." && pwd)
unset PYTHONDONTWRITEBYTECODE

skip_or_fail() {
    if [ "${CI:-}" = "true" ]; then
        echo "FAIL: $* (CI requires all eight interpreters)" >&2
        exit 1
    fi
    echo "SKIP: $*" >&2
    echo "SKIP: $*"
    exit 77
}

# find_python VERSION -> prints the interpreter path or skips the test.
find_python() {
    p=$("$SRC_ROOT/tools/pythons.sh" 2>/dev/null | awk -v v="$1" '$1 == v { print $2 }')
    [ -n "$p" ] || skip_or_fail "no CPython $1 interpreter (run tools/pythons.sh --provision)"
    echo "$p"
}

# stdlib_dir PYTHON -> the interpreter's stdlib directory.
stdlib_dir() {
    "$1" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'
}

# stdlib_pycs PYTHON SCRATCH -> compile the whole stdlib (test suite included,
# site-packages excluded) into SCRATCH/pycs through a pycache prefix, once;
# concurrent tests of the same version wait for the first.  Prints the tree.
stdlib_pycs() {
    py=$1
    scratch=$2
    mkdir -p "$scratch"
    (
        flock 9
        if [ ! -f "$scratch/pycs.done" ]; then
            rm -rf "$scratch/pycs"
            lib=$(stdlib_dir "$py")
            # Some test inputs are deliberately invalid Python; compileall
            # reports them and we ignore its status for them.
            PYTHONPYCACHEPREFIX="$scratch/pycs" "$py" -m compileall -q -j0 \
                -x '/site-packages/|/dist-packages/' "$lib" >"$scratch/compileall.log" 2>&1 || true
            n=$(find "$scratch/pycs" -name '*.pyc' | wc -l)
            [ "$n" -gt 500 ] || { echo "compileall produced only $n pycs" >&2; exit 1; }
            touch "$scratch/pycs.done"
        fi
    ) 9>"$scratch/.lock" || exit 1
    echo "$scratch/pycs"
}
