#!/bin/sh
# Throughput of lazyc's marshal decode+encode vs CPython 3.12's
# marshal.loads+marshal.dumps, on the same .pyc files in the same run.
#
#   tools/bench_marshal.sh [DIR] [REPEAT]
#
# DIR defaults to the 3.12 interpreter's stdlib tree (every .pyc below it,
# all optimisation levels); REPEAT (default 5) passes over all files, loaded
# into memory first.  lazyc runs lz_pyc_parse + lz_pyc_serialize per file
# from a release build in build-bench/; Python runs marshal.loads on the
# bytes after the 16-byte header, then marshal.dumps of the result.  MB/s
# count the file sizes in both cases.  Prints both rates and their ratio.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${LAZYC_BENCH_BUILD:-$ROOT/build-bench}
REPEAT=${2:-5}

PY=$("$ROOT/tools/pythons.sh" 2>/dev/null | awk '$1 == "3.12" { print $2 }')
[ -n "$PY" ] || { echo "bench_marshal: no Python 3.12 found by tools/pythons.sh" >&2; exit 1; }
DIR=${1:-$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')}

if [ ! -f "$BUILD/build.ninja" ]; then
    meson setup "$BUILD" "$ROOT" -Dbuildtype=release -Dtests=true >/dev/null
fi
ninja -C "$BUILD" -j2 tests/marshal/marshal_rt >/dev/null

echo "files: $DIR ($(find "$DIR" -name '*.pyc' | wc -l) pycs, $(du -sh "$DIR" | cut -f1) tree)"
C_OUT=$("$BUILD/tests/marshal/marshal_rt" --bench "$REPEAT" "$DIR")
echo "$C_OUT" | grep '^3\.'
C_RATE=$(echo "$C_OUT" | awk '/MB\/s/ { print $NF }')

PY_RATE=$("$PY" - "$DIR" "$REPEAT" <<'PYEOF'
import marshal, os, sys, time
root, repeat = sys.argv[1], int(sys.argv[2])
blobs = []
for d, _, names in os.walk(root):
    for n in names:
        if n.endswith('.pyc'):
            with open(os.path.join(d, n), 'rb') as f:
                blobs.append(f.read())
total = sum(len(b) for b in blobs)
loads, dumps = marshal.loads, marshal.dumps
t0 = time.perf_counter()
for _ in range(repeat):
    for b in blobs:
        dumps(loads(memoryview(b)[16:]))
dt = time.perf_counter() - t0
print('%.1f' % (total * repeat / dt / 1e6))
PYEOF
)
echo "lazyc    decode+encode: $C_RATE MB/s"
echo "CPython  loads+dumps:   $PY_RATE MB/s  ($PY)"
awk -v c="$C_RATE" -v p="$PY_RATE" 'BEGIN { printf "ratio lazyc/CPython: %.2f\n", c / p }'
