#!/bin/sh
# stdlib_nops.sh LAZYC VERSION SCRATCH
# The whole stdlib of CPython VERSION, rewritten with --debug-nops, must pass
# check_nops.py in that interpreter for every code object: same instructions
# (NOPs aside), jump targets, lines/positions and exception handlers.
set -eu
. "$(dirname "$0")/lib.sh"
lazyc=$1 version=$2 scratch=$3/$2
py=$(find_python "$version")
tree=$(stdlib_pycs "$py" "$scratch")
out=$scratch/nops
rm -rf "$out"
echo "CPython $version: $py"
"$lazyc" rewrite --debug-nops "$tree" -o "$out"
"$py" "$E2E_DIR/check_nops.py" -j 2 --expect-nops "$tree" "$out"
