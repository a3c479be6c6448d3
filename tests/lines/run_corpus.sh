#!/bin/sh
# Corpus test for one interpreter version:
#   run_corpus.sh VERSION TEST_EXE EXTRACT_PY PYTHONS_SH OUTDIR
# Extracts the tables of that interpreter's stdlib into OUTDIR (build tree,
# never the source tree) and runs the C checker on them.  LZ_CORPUS_LIMIT=N
# limits the stdlib files compiled.
# Exit 77 (skip) with a loud message when the interpreter is missing, unless
# CI=true, where a missing interpreter is a failure.
set -eu
ver=$1 exe=$2 extract=$3 pythons=$4 outdir=$5
py=$(sh "$pythons" 2>/dev/null | awk -v v="$ver" '$1 == v { print $2 }')
if [ -z "$py" ]; then
    echo "########################################################" >&2
    echo "SKIPPED: no Python $ver interpreter (tools/pythons.sh --provision)" >&2
    echo "########################################################" >&2
    [ "${CI:-}" = "true" ] && exit 1
    exit 77
fi
data="$outdir/lines-corpus-$ver.txt"
# LZ_CORPUS_LIMIT=N compiles only the first N stdlib files (quick runs).
if [ -n "${LZ_CORPUS_LIMIT:-}" ]; then
    "$py" "$extract" "$data" --limit "$LZ_CORPUS_LIMIT"
else
    "$py" "$extract" "$data"
fi
# The data (15-80 MB per version) is kept only when a check failed.
"$exe" "$data"
rm -f "$data"
