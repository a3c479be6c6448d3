#!/bin/sh
# Fuzz the pyc, marshal and zip readers and the lazy pass with libFuzzer for a bounded time.
#
#   tools/fuzz.sh [SECONDS] [SEED] [TARGET]   (defaults: 60 s, seed 1, fuzz_pyc)
#
# Configures build-fuzz/ with clang and -Dfuzz=true, builds TARGET (ASan +
# UBSan + coverage), and runs it with a fixed -seed over a scratch copy of
# its seed corpus - for fuzz_pyc tests/fuzz/corpus plus the hostile files
# (tests/data/hostile), for fuzz_marshal tests/fuzz/corpus_marshal, for
# fuzz_zip tests/fuzz/corpus_zip plus tests/zip/hostile - so the
# repository is never written.  Findings land in build-fuzz/fuzz-artifacts/;
# add each (renamed for its defect) to the target's corpus directory so the
# replay test keeps it fixed.
set -eu
SECONDS_TO_RUN=${1:-60}
SEED=${2:-1}
TARGET=${3:-fuzz_pyc}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${LAZYC_FUZZ_BUILD:-$ROOT/build-fuzz}

CLANG=$(command -v clang || command -v clang-14 || true)
[ -n "$CLANG" ] || { echo "fuzz.sh: clang not found" >&2; exit 1; }
if [ ! -f "$BUILD/build.ninja" ]; then
    CC="$CLANG" meson setup "$BUILD" "$ROOT" -Dfuzz=true -Dbuildtype=debugoptimized >/dev/null
fi
case $TARGET in
fuzz_pyc) SEEDS="$ROOT/tests/fuzz/corpus $ROOT/tests/data/hostile" ;;
fuzz_lazy) SEEDS="$ROOT/tests/fuzz/corpus_lazy $ROOT/tests/fuzz/corpus $ROOT/tests/data/hostile" ;;
fuzz_marshal) SEEDS="$ROOT/tests/fuzz/corpus_marshal" ;;
fuzz_zip) SEEDS="$ROOT/tests/fuzz/corpus_zip $ROOT/tests/zip/hostile" ;;
*) echo "fuzz.sh: unknown target $TARGET (fuzz_pyc, fuzz_marshal, fuzz_lazy, fuzz_zip)" >&2; exit 2 ;;
esac
DICT=$ROOT/tests/fuzz/pyc.dict
[ "$TARGET" = fuzz_zip ] && DICT=$ROOT/tests/fuzz/zip.dict
ninja -C "$BUILD" -j2 "tests/fuzz/$TARGET"

WORK="$BUILD/$TARGET-corpus"
ART="$BUILD/fuzz-artifacts"
mkdir -p "$WORK" "$ART"
for d in $SEEDS; do cp "$d"/* "$WORK"/; done

echo "fuzz.sh: $TARGET for $SECONDS_TO_RUN s, -seed=$SEED, corpus $WORK"
set +e
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
"$BUILD/tests/fuzz/$TARGET" -seed="$SEED" -max_total_time="$SECONDS_TO_RUN" \
    -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -dict="$DICT" -artifact_prefix="$ART/" "$WORK"
status=$?
echo "fuzz.sh: seed was $SEED"
exit $status
