#!/bin/sh
# stdlib_roundtrip.sh LAZYC VERSION SCRATCH
# The whole corpus of CPython VERSION - everything installed for it, stdlib
# (test suite included) and site-packages, compiled by it at optimisation
# levels 0, 1 and 2 (lib.sh, corpus_pycs) - must decode and re-encode
# byte-identically: `lazyc roundtrip` reports 100%.
set -eu
. "$(dirname "$0")/lib.sh"
lazyc=$1 version=$2 scratch=$3/$2
py=$(find_python "$version")
corpus=$(corpus_pycs "$py" "$scratch")
echo "CPython $version: $py"
cat "$corpus/summary"
"$lazyc" roundtrip "$corpus/opt0" "$corpus/opt1" "$corpus/opt2"
