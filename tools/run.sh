#!/bin/sh
# The one command for a fresh machine: install dependencies, build lazyc and
# run it on the built-in demo input (tests/data/demo), with every interpreter
# found.  Usage: tools/run.sh [BUILDDIR]   (default: build)
set -eu
HERE=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$HERE/build}
"$HERE/tools/deps.sh"
[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" "$HERE" >/dev/null
ninja -C "$BUILD" >/dev/null
exec "$HERE/tools/demo.sh" "$BUILD/rewriter/lazyc"
