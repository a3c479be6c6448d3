#!/bin/sh
# stdlib_roundtrip.sh ENGINE_TOOL VERSION SCRATCH
# Over the whole corpus of CPython VERSION - everything installed for it,
# stdlib (test suite included) and site-packages, compiled by it at
# optimisation levels 0, 1 and 2 (tests/e2e/lib.sh, corpus_pycs):
# 1. Decode + assemble (no pass) every code object: code, line table,
#    exception table and co_stacksize must come back byte-identical, and
#    the pipeline must return the same root node.
# 2. Insert the debug NOPs into all of it (in memory): no pyc may be refused
#    and, in debug builds, lz_code_check must hold after the pass.
# SCRATCH is shared with the e2e tests (the corpus is compiled once).
set -eu
. "$(dirname "$0")/../e2e/lib.sh"
tool=$1 version=$2 scratch=$3/$2
py=$(find_python "$version")
corpus=$(corpus_pycs "$py" "$scratch")
echo "CPython $version: $py"
cat "$corpus/summary"
"$tool" roundtrip "$corpus/opt0" "$corpus/opt1" "$corpus/opt2"
"$tool" nops-tree "$corpus/opt0" "$corpus/opt1" "$corpus/opt2"
