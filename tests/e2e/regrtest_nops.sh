#!/bin/sh
# regrtest_nops.sh [--lazy] LAZYC PYTHON|VERSION [TESTS...]
# CPython's own tests on rewritten stdlib pycs versus the original pycs:
# NOP-rewritten (regrtest_nops.py) or, with --lazy, lazified
# (regrtest_lazy.py).  LAZYC may be "ref" for the NOP run (the Python
# reference inserter, to test this script).  A VERSION (3.8 ... 3.15) is
# resolved with tools/pythons.sh (a missing one skips with 77, fails under
# CI=true).
set -eu
script=regrtest_nops.py
if [ "${1:-}" = "--lazy" ]; then
    script=regrtest_lazy.py
    shift
fi
if [ $# -lt 2 ]; then
    echo "usage: $0 [--lazy] LAZYC PYTHON|VERSION [TESTS...]" >&2
    exit 2
fi
. "$(dirname "$0")/lib.sh"
lazyc=$1 py=$2
shift 2
case $py in
    3.[0-9]|3.[0-9][0-9]) py=$(find_python "$py") ;;
esac
exec "$py" "$E2E_DIR/$script" "$lazyc" "$py" "$@"
