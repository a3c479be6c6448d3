#!/bin/sh
# Fuzz the pyc reader/writer with libFuzzer for a bounded time.
#
#   tools/fuzz.sh [SECONDS] [SEED]      (defaults: 60 s, seed 1)
#
# Configures build-fuzz/ with clang and -Dfuzz=true, builds fuzz_pyc
# (ASan + UBSan + coverage), and runs it with a fixed -seed over a scratch
# copy of the seed corpus (tests/fuzz/corpus) and the hostile files
# (tests/data/hostile), so the repository is never written.  Findings land
# in build-fuzz/fuzz-artifacts/; add each (renamed for its defect) to
# tests/fuzz/corpus/ so the replay test keeps it fixed.
set -eu
SECONDS_TO_RUN=${1:-60}
SEED=${2:-1}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${LAZYC_FUZZ_BUILD:-$ROOT/build-fuzz}

CLANG=$(command -v clang || command -v clang-14 || true)
[ -n "$CLANG" ] || { echo "fuzz.sh: clang not found" >&2; exit 1; }
if [ ! -f "$BUILD/build.ninja" ]; then
    CC="$CLANG" meson setup "$BUILD" "$ROOT" -Dfuzz=true -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C "$BUILD" -j2 tests/fuzz/fuzz_pyc

WORK="$BUILD/fuzz-corpus"
ART="$BUILD/fuzz-artifacts"
mkdir -p "$WORK" "$ART"
cp "$ROOT"/tests/fuzz/corpus/* "$ROOT"/tests/data/hostile/* "$WORK"/

echo "fuzz.sh: fuzz_pyc for $SECONDS_TO_RUN s, -seed=$SEED, corpus $WORK"
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
"$BUILD/tests/fuzz/fuzz_pyc" -seed="$SEED" -max_total_time="$SECONDS_TO_RUN" \
    -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -dict="$ROOT/tests/fuzz/pyc.dict" -artifact_prefix="$ART/" "$WORK"
status=$?
echo "fuzz.sh: seed was $SEED"
exit $status
