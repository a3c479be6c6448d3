#!/bin/sh
# demo.sh LAZYC - lazyc on its built-in demo input with every interpreter:
# compile tests/data/demo/demo_app.py, show the start of `lazyc dump`, prove
# the byte-exact round trip, rewrite with --debug-nops and check that the
# rewritten pyc prints exactly what the original does.
set -eu
LAZYC=$1
HERE=$(cd "$(dirname "$0")/.." && pwd)
SRC=$HERE/tests/data/demo/demo_app.py
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
unset PYTHONDONTWRITEBYTECODE
status=0
"$HERE/tools/pythons.sh" | while read -r v py; do
    mkdir -p "$W/$v/orig" "$W/$v/nops"
    "$py" -c 'import py_compile, sys; py_compile.compile(sys.argv[1], sys.argv[2], doraise=True)' \
        "$SRC" "$W/$v/orig/demo_app.pyc"
    echo "== CPython $v ($py)"
    if [ "$v" = "3.12" ]; then
        "$LAZYC" dump "$W/$v/orig/demo_app.pyc" | head -n 25
        echo "   ..."
    fi
    "$LAZYC" roundtrip "$W/$v/orig"
    "$LAZYC" rewrite --debug-nops "$W/$v/orig" -o "$W/$v/nops"
    (cd "$W" && "$py" "$W/$v/orig/demo_app.pyc" > "$W/$v/orig.out")
    (cd "$W" && "$py" "$W/$v/nops/demo_app.pyc" > "$W/$v/nops.out")
    if cmp -s "$W/$v/orig.out" "$W/$v/nops.out"; then
        echo "rewritten pyc runs and prints the same $(wc -l < "$W/$v/orig.out") lines"
    else
        echo "MISMATCH between original and rewritten output"; diff "$W/$v/orig.out" "$W/$v/nops.out" || true
        exit 1
    fi
done
