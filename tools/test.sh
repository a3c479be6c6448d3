#!/bin/sh
# Run the whole test suite: install dependencies, build, `meson test`, then
# fuzz the pyc, marshal and zip readers and the lazy pass for a bounded time
# (LAZYC_FUZZ_SECONDS, default 40 + 20 + 20 + 20; 0 skips).
# Usage: tools/test.sh [BUILDDIR] [meson test args...]   (default: build)
# With CI=true every one of the eight interpreters must be present.
set -eu
HERE=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$HERE/build}
[ $# -gt 0 ] && shift
"$HERE/tools/deps.sh"
[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" "$HERE" >/dev/null
ninja -C "$BUILD"
status=0
meson test -C "$BUILD" --print-errorlogs --num-processes 2 "$@" || status=$?

FUZZ=${LAZYC_FUZZ_SECONDS:-40}
if [ "$FUZZ" -gt 0 ]; then
    export LAZYC_FUZZ_BUILD="$BUILD-fuzz"
    "$HERE/tools/fuzz.sh" "$FUZZ" 1 fuzz_pyc || status=1
    "$HERE/tools/fuzz.sh" $((FUZZ / 2)) 3 fuzz_marshal || status=1
    "$HERE/tools/fuzz.sh" $((FUZZ / 2)) 5 fuzz_lazy || status=1
    "$HERE/tools/fuzz.sh" $((FUZZ / 2)) 7 fuzz_zip || status=1
fi
exit $status
