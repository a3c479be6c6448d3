#!/bin/sh
# stdlib_roundtrip.sh LAZYC VERSION SCRATCH
# The whole stdlib of CPython VERSION, compiled by that interpreter, must
# decode and re-encode byte-identically: `lazyc roundtrip` reports 100%.
set -eu
. "$(dirname "$0")/lib.sh"
lazyc=$1 version=$2 scratch=$3/$2
py=$(find_python "$version")
tree=$(stdlib_pycs "$py" "$scratch")
echo "CPython $version: $py"
"$lazyc" roundtrip "$tree"
