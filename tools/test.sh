#!/bin/sh
# Run the whole test suite: install dependencies, build, `meson test`.
# Usage: tools/test.sh [BUILDDIR] [meson test args...]   (default: build)
# With CI=true every one of the eight interpreters must be present.
set -eu
HERE=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$HERE/build}
[ $# -gt 0 ] && shift
"$HERE/tools/deps.sh"
[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" "$HERE" >/dev/null
ninja -C "$BUILD"
exec meson test -C "$BUILD" --print-errorlogs --num-processes 2 "$@"
