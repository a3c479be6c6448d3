#!/bin/sh
# stdlib_nops.sh LAZYC VERSION SCRATCH [LEVELS]
# The corpus of CPython VERSION - everything installed for it, stdlib (test
# suite included) and site-packages, compiled by it (lib.sh, corpus_pycs) -
# at the optimisation levels LEVELS (default "0"; "0 1 2" for all of it),
# rewritten with --debug-nops, must pass check_nops.py in that interpreter
# for every code object: same instructions (NOPs aside), jump targets,
# lines/positions and exception handlers.  check_nops.py only unmarshals
# the pycs and compares code objects (nothing is imported or run), so a
# site-packages module that would fail to import is checked like any
# other; a pyc the interpreter cannot even unmarshal is skipped and
# counted, the same for original and rewritten tree.
set -eu
. "$(dirname "$0")/lib.sh"
lazyc=$1 version=$2 scratch=$3/$2 levels=${4:-0}
py=$(find_python "$version")
corpus=$(corpus_pycs "$py" "$scratch")
out=$scratch/nops
rm -rf "$out"
echo "CPython $version: $py"
cat "$corpus/summary"
status=0
for level in $levels; do
    echo "== optimisation level $level"
    "$lazyc" rewrite --debug-nops "$corpus/opt$level" -o "$out/opt$level"
    if "$py" "$E2E_DIR/check_nops.py" -j 2 --expect-nops "$corpus/opt$level" "$out/opt$level"; then
        rm -rf "$out/opt$level"     # kept for inspection when it fails
    else
        status=1
    fi
done
exit $status
