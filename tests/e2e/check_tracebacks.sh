#!/bin/sh
# check_tracebacks.sh LAZYC VERSION [SCRATCH]
# Tracebacks (file, line, carets), exception-chain frames and settrace line
# events of check_tb_sample.py must be identical between its original pyc and
# the pyc rewritten by `LAZYC rewrite --debug-nops` (see check_tracebacks.py).
# The self-test first proves the comparison detects a wrong rewrite.
set -eu
. "$(dirname "$0")/lib.sh"
lazyc=$1 version=$2
py=$(find_python "$version")
work=${3:-${TMPDIR:-/tmp}}/$version/tracebacks
mkdir -p "$work"
echo "CPython $version: $py"
"$py" "$E2E_DIR/check_tracebacks.py" --python "$py" --self-test --work "$work/self"
"$py" "$E2E_DIR/check_tracebacks.py" --python "$py" --lazyc "$lazyc" --work "$work/run"
