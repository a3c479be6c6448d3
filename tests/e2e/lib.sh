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
# (The engine and e2e corpus tests use corpus_pycs below: stdlib and
# site-packages at every optimisation level.)
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

# corpus_dirs PYTHON -> one per line: the interpreter's stdlib directory, then
# every existing site-packages directory of it (site.getsitepackages(),
# sysconfig purelib/platlib) that is not already inside the stdlib (pyenv's
# lib/python3.X/site-packages is).  The per-user site directory is not part
# of the installation and is left out.
corpus_dirs() {
    "$1" - <<'EOF'
import os, site, sysconfig
paths = sysconfig.get_paths()
stdlib = os.path.realpath(paths["stdlib"])
dirs = [stdlib]
extra = list(getattr(site, "getsitepackages", lambda: [])())
for d in extra + [paths["purelib"], paths["platlib"]]:
    d = os.path.realpath(d)
    if os.path.isdir(d) and d not in dirs and not d.startswith(stdlib + os.sep):
        dirs.append(d)
print("\n".join(dirs))
EOF
}

# corpus_pycs PYTHON SCRATCH -> everything installed for the interpreter, its
# stdlib (test suite included) and its site-packages, compiled by it at
# optimisation levels 0, 1 and 2 into SCRATCH/corpus/opt0, opt1 and opt2
# through pycache prefixes (nothing is written into the interpreter's own
# directories; below each optN the tree repeats the sources' absolute
# paths).  Done once; concurrent tests of the same version wait for the
# first.  Prints SCRATCH/corpus; SCRATCH/corpus/summary says what is in it.
corpus_pycs() {
    py=$1
    scratch=$2
    root=$scratch/corpus
    mkdir -p "$scratch"
    (
        flock 9
        if [ ! -f "$root/done" ]; then
            rm -rf "$root"
            mkdir -p "$root"
            corpus_dirs "$py" >"$root/dirs"
            for level in 0 1 2; do
                # -O / -OO rather than compileall's -o, which 3.8 lacks.
                case $level in 0) flag= ;; 1) flag=-O ;; 2) flag=-OO ;; esac
                # Some test inputs (and a few site-packages files) are
                # deliberately invalid Python; compileall reports them and
                # we ignore its status for them.
                # shellcheck disable=SC2046,SC2086
                PYTHONPYCACHEPREFIX="$root/opt$level" "$py" $flag -m compileall -q -j0 \
                    $(cat "$root/dirs") >>"$root/compileall.log" 2>&1 || true
                n=$(find "$root/opt$level" -name '*.pyc' | wc -l)
                [ "$n" -gt 500 ] || { echo "compileall $flag produced only $n pycs" >&2; exit 1; }
            done
            corpus_summary "$root" >"$root/summary"
            touch "$root/done"
        fi
    ) 9>"$scratch/.lock" || exit 1
    echo "$root"
}

# corpus_summary ROOT -> "corpus: N pycs = opt0 A + opt1 B + opt2 C (S in site-packages) ..."
corpus_summary() {
    t=0 s=0 each=
    for level in 0 1 2; do
        n=$(find "$1/opt$level" -name '*.pyc' | wc -l)
        k=$(find "$1/opt$level" -name '*.pyc' | grep -c -E '/(site|dist)-packages/' || true)
        t=$((t + n)) s=$((s + k))
        each="$each${each:+ + }opt$level $n"
    done
    echo "corpus: $t pycs = $each ($s of them in site-packages); sources: $(tr '\n' ' ' <"$1/dirs")"
}
