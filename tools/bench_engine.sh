#!/bin/sh
# bench_engine.sh [VERSION [stdlib|all]] - throughput and peak memory of the
# bytecode engine.
#
# Builds a release tree (build-bench/: NDEBUG, so no lz_code_check between
# passes), compiles the whole stdlib of CPython VERSION (default 3.12, test
# suite included; with "all": the tests' corpus, stdlib and site-packages at
# optimisation levels 0, 1 and 2, see tests/e2e/lib.sh corpus_pycs) into a
# pycache-prefix tree once, then runs
#   engine_tool nops-tree TREE
# under /usr/bin/time -v: every pyc is read into memory first, then parsed,
# decoded, given a NOP before every instruction, assembled and serialized
# (nothing is written).  Prints pycs/s and MB/s of input for that part and
# the peak resident set size of the whole process (file contents included).
# Numbers vary with the machine; nothing here asserts on them.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
version=${1:-3.12}
corpus=${2:-stdlib}
build=$here/build-bench
scratch=$build/bench-scratch/$version-$corpus
case $corpus in
    stdlib|all) ;;
    *) echo "usage: $0 [VERSION [stdlib|all]]" >&2; exit 2 ;;
esac

py=$("$here/tools/pythons.sh" 2>/dev/null | awk -v v="$version" '$1 == v { print $2 }')
[ -n "$py" ] || { echo "bench_engine: no CPython $version (tools/pythons.sh --provision)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench_engine: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

if [ ! -d "$build" ]; then
    meson setup "$build" "$here" -Dbuildtype=release -Db_ndebug=true >/dev/null
fi
ninja -C "$build" -j2 tests/engine/engine_tool >/dev/null

if [ "$corpus" = all ]; then
    # The tests' corpus, compiled by corpus_pycs from the e2e tests' lib.sh.
    . "$here/tests/e2e/lib.sh"
    tree=$(corpus_pycs "$py" "$scratch")
    cat "$tree/summary"
elif [ ! -f "$scratch/pycs.done" ]; then
    rm -rf "$scratch/pycs"
    mkdir -p "$scratch"
    lib=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
    PYTHONPYCACHEPREFIX="$scratch/pycs" "$py" -m compileall -q -j0 \
        -x '/site-packages/|/dist-packages/' "$lib" >"$scratch/compileall.log" 2>&1 || true
    touch "$scratch/pycs.done"
fi
[ "$corpus" = all ] || tree=$scratch/pycs

echo "CPython $version $corpus: $(find "$tree" -name '*.pyc' | wc -l) pycs," \
     "$(du -sh "$tree" | cut -f1) on disk"
/usr/bin/time -v "$build/tests/engine/engine_tool" nops-tree "$tree" \
    2>"$scratch/time.log"
grep -E "Maximum resident set size|Elapsed \(wall clock\)" "$scratch/time.log" | sed 's/^\s*//'
