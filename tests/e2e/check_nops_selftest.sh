#!/bin/sh
# check_nops_selftest.sh VERSION
# check_nops.py must pass a correct NOP insertion and catch each broken one
# (wrong jump, line, column, handler, lost instruction, split sequences ...)
# in CPython VERSION; its decoder must agree with dis.
set -eu
. "$(dirname "$0")/lib.sh"
py=$(find_python "$1")
echo "CPython $1: $py"
exec "$py" "$E2E_DIR/check_nops.py" --self-test
