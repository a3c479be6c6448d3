#!/bin/sh
# Run tests/runtime/test_runtime.py under every CPython 3.8-3.14 that
# tools/pythons.sh finds.  3.15 is not run: it has native lazy imports and
# rewritten 3.15 code never calls the runtime.
# A missing interpreter is skipped loudly, and is a failure when CI=true.
# Exit status: 0 if every version run passed, 1 otherwise.
set -u
HERE=$(cd "$(dirname "$0")/../.." && pwd)
PYTHONS=$("$HERE/tools/pythons.sh") || PYTHONS=""
status=0
for v in 3.8 3.9 3.10 3.11 3.12 3.13 3.14; do
    py=$(printf '%s\n' "$PYTHONS" | awk -v v="$v" '$1 == v { print $2; exit }')
    if [ -z "$py" ]; then
        echo "SKIP $v: interpreter missing" >&2
        [ "${CI:-}" = true ] && status=1
        continue
    fi
    echo "== Python $v ($py)"
    if PYTHONDONTWRITEBYTECODE=1 "$py" "$HERE/tests/runtime/test_runtime.py"; then
        echo "PASS $v"
    else
        echo "FAIL $v" >&2
        status=1
    fi
done
exit $status
