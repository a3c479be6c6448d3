#!/bin/sh
# nops_e2e.sh ENGINE_TOOL VERSION SCRATCH
# Compile the snippets in tests/engine/snippets/ with CPython VERSION, insert
# the debug NOPs, run original and rewritten pycs and compare (run_nops.py).
# A missing interpreter skips (77), or fails under CI=true (tests/e2e/lib.sh).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../e2e/lib.sh"
tool=$1 version=$2 scratch=$3/$2
py=$(find_python "$version")
mkdir -p "$scratch"
exec "$py" "$here/run_nops.py" "$tool" "$here/snippets" "$scratch"
