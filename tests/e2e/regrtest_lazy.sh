#!/bin/sh
# regrtest_lazy.sh LAZYC PYTHON|VERSION [TESTS...]
# CPython's own tests on the lazified stdlib versus the original pycs; see
# regrtest_lazy.py.  A VERSION (3.8 ... 3.15) is resolved with
# tools/pythons.sh (a missing one skips with 77, fails under CI=true).
set -eu
if [ $# -lt 2 ]; then
    echo "usage: $0 LAZYC PYTHON|VERSION [TESTS...]" >&2
    exit 2
fi
. "$(dirname "$0")/lib.sh"
lazyc=$1 py=$2
shift 2
case $py in
    3.[0-9]|3.[0-9][0-9]) py=$(find_python "$py") ;;
esac
exec "$py" "$E2E_DIR/regrtest_lazy.py" "$lazyc" "$py" "$@"
