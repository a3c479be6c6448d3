#!/bin/sh
# Compare the marshal library with every real interpreter tools/pythons.sh finds.
#
#   interp_check.sh MODE PYTHONS_SH CHECK_TOOL MARSHAL_RT REPR_EXPECT_PY
#
# MODE repr:   lz_obj_repr == repr() for all constants of sample modules
#              (repr_expect.py writes them, check_tool compares).
# MODE hash:   lz_pyc_source_hash == importlib.util.source_hash for inputs of
#              lengths 0..64 and a real source file.
# MODE stdlib: every .pyc the interpreter has in its stdlib tree round-trips
#              byte-identically (marshal_rt).
# Exit 77 (meson: SKIP) when no interpreter is found; 1 on any mismatch.
set -u
MODE=$1 PYTHONS=$2 TOOL=$3 RT=$4 EXPECT=$5
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

"$PYTHONS" > "$TMP/pythons" 2>/dev/null || true
if [ ! -s "$TMP/pythons" ]; then
    echo "SKIP: no Python interpreter found by $PYTHONS"
    exit 77
fi

status=0
while read -r ver py; do
    minor=${ver#3.}
    d="$TMP/$ver"
    mkdir -p "$d"
    case $MODE in
    repr)
        "$py" "$EXPECT" "$d" || { echo "FAIL $ver: repr_expect.py failed"; status=1; continue; }
        for bin in "$d"/*.bin; do
            "$TOOL" repr "$minor" "$bin" "${bin%.bin}.txt" || status=1
        done
        ;;
    hash)
        "$py" - "$d" "$EXPECT" > "$d/expected" <<'PY' || { echo "FAIL $ver: python"; status=1; continue; }
import importlib.util, os, sys
d, real = sys.argv[1], sys.argv[2]
inputs = [bytes(range(n)) for n in range(65)] + [bytes(range(256)) * 3]
inputs.append(open(real, 'rb').read())
for i, data in enumerate(inputs):
    path = os.path.join(d, 'in%d' % i)
    with open(path, 'wb') as f:
        f.write(data)
    print(path, importlib.util.source_hash(data).hex())
PY
        n=0
        while read -r path want; do
            got=$("$TOOL" hash "$minor" "$path")
            n=$((n + 1))
            if [ "$got" != "$want" ]; then
                echo "FAIL $ver: $(basename "$path"): lazyc $got, python $want"
                status=1
            fi
        done < "$d/expected"
        echo "$ver: $n source hashes compared"
        ;;
    stdlib)
        lib=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
        if ! find "$lib" -name "*.cpython-3${minor}*.pyc" -print -quit | grep -q .; then
            echo "$ver: no compiled stdlib in $lib, nothing to check"
            continue
        fi
        "$RT" "$lib" > "$d/rt" || status=1
        grep -v '^DIFF\|^FAIL' "$d/rt"
        grep '^DIFF\|^FAIL' "$d/rt" | head -20
        ;;
    esac
done < "$TMP/pythons"
exit $status
