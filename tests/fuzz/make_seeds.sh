#!/bin/sh
# Regenerate the real-pyc seeds of the fuzz corpus: seed_source.py compiled
# by every interpreter tools/pythons.sh finds, as unchecked-hash pycs (no
# timestamp, so the bytes depend only on the interpreter).  No .pyc
# extension: the project .gitignore ignores *.pyc outside tests/data/.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
"$ROOT/tools/pythons.sh" | while read -r ver py; do
    out="$HERE/corpus/seed-py3${ver#3.}"
    "$py" -c '
import py_compile, sys
py_compile.compile(sys.argv[1], cfile=sys.argv[2], dfile="seed_source.py", doraise=True,
                   invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
' "$HERE/seed_source.py" "$out"
    echo "$out"
done

# The same seeds for fuzz_marshal: one version byte (minor - 8), then the
# marshal data after the 16-byte header.
for f in "$HERE"/corpus/seed-py3*; do
    n=$(basename "$f")
    minor=${n#seed-py3}
    { printf "\\$(printf '%03o' $((minor - 8)))"; tail -c +17 "$f"; } > "$HERE/corpus_marshal/$n"
done
