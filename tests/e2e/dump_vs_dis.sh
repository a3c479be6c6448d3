#!/bin/sh
# dump_vs_dis.sh LAZYC VERSION SCRATCH
# `lazyc dump` must agree with the interpreter's own dis (instruction names,
# opargs, resolved arguments, line numbers, exception tables) on a sample of
# stdlib modules compiled by that interpreter (the optimisation level 0 part
# of the corpus, lib.sh corpus_pycs, site-packages left out).
set -eu
. "$(dirname "$0")/lib.sh"
lazyc=$1 version=$2 scratch=$3/$2
py=$(find_python "$version")
tree=$(corpus_pycs "$py" "$scratch")/opt0
# A sample with every construct in it: big modules, async code, pattern
# matching, generics, f-strings, try/except*, class bodies, comprehensions.
sample=$(find "$tree" -name '*.pyc' | grep -v -E '/(site|dist)-packages/' | grep -E '/(json/[a-z_]+|re/_parser|re/_compiler|collections/__init__|functools|typing|dataclasses|enum|argparse|inspect|zipfile/__init__|zipfile|contextlib|traceback|asyncio/tasks|asyncio/base_events|ast|dis|pathlib|pathlib/_local|textwrap|tokenize|difflib|decimal|_pydecimal|email/_header_value_parser|test/test_grammar|test/test_patma|test/test_exception_group|test/test_coroutines|test/test_generators)\.cpython' | sort)
[ -n "$sample" ] || { echo "no sample pycs found under $tree" >&2; exit 1; }
echo "CPython $version: $py"
# shellcheck disable=SC2086
"$py" "$E2E_DIR/check_dump.py" "$lazyc" $sample
