#!/bin/sh
# stdlib_roundtrip.sh ENGINE_TOOL VERSION SCRATCH
# 1. Decode + assemble (no pass) every code object of the whole stdlib of
#    CPython VERSION (test suite included), compiled by that interpreter:
#    code, line table, exception table and co_stacksize must come back
#    byte-identical, and the pipeline must return the same root node.
# 2. Insert the debug NOPs into all of it (in memory): no pyc may be refused
#    and, in debug builds, lz_code_check must hold after the pass.
# SCRATCH is shared with the e2e tests (tests/e2e/lib.sh compiles once).
set -eu
. "$(dirname "$0")/../e2e/lib.sh"
tool=$1 version=$2 scratch=$3/$2
py=$(find_python "$version")
tree=$(stdlib_pycs "$py" "$scratch")
echo "CPython $version: $py"
"$tool" roundtrip "$tree"
"$tool" nops-tree "$tree"
