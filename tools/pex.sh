#!/bin/sh
# Provision Debian's pex (python3-pex, the newest version the Debian
# archive carries across the machine's suites, sid and experimental) into
# PREFIX and print the command that runs it.
#
#   tools/pex.sh [PREFIX]        default PREFIX: .pythons/pex in the project
#
# The .deb is unpacked with dpkg -x (nothing is installed system-wide); pex
# runs from PYTHONPATH with the interpreter the package targets, Debian's
# /usr/bin/python3, which also supplies pkg_resources and wheel (pex's
# dependencies).  The mirror is read from the machine's apt sources
# (tools/debian_mirror.sh); no host name lives in this repository.
#
# Facts found when this was written: python3-pex 1.5.3 is in bookworm and
# trixie, and no longer in sid or experimental.  Its wheel support imports
# wheel.install, which Debian's python3-wheel (0.38+) no longer has, so
# distributions have to be added as eggs (pex --no-wheel).
set -eu

HERE=$(cd "$(dirname "$0")/.." && pwd)
PREFIX=${1:-$HERE/.pythons/pex}
PY=/usr/bin/python3

say() { echo "pex.sh: $*" >&2; }

run_line() {
    echo "PYTHONPATH=$PREFIX/usr/lib/python3/dist-packages $PY -m pex.bin.pex"
}

if [ -f "$PREFIX/usr/lib/python3/dist-packages/pex/bin/pex.py" ]; then
    run_line
    exit 0
fi

uri=$("$HERE/tools/debian_mirror.sh" || true)
[ -n "$uri" ] || { say "no Debian mirror in the apt sources"; exit 1; }
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
mkdir -p "$w/lists/partial" "$w/cache/archives/partial" "$w/debs" "$PREFIX"
{
    for s in bookworm trixie sid experimental; do
        echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $s main"
    done
} > "$w/sources.list"
o="-o Dir::Etc::SourceList=$w/sources.list -o Dir::Etc::SourceParts=/dev/null"
o="$o -o Dir::State::Lists=$w/lists -o Dir::Cache=$w/cache -o APT::Architecture=amd64"
o="$o -o APT::Sandbox::User=root"
# experimental is pinned low by default; ask for every version and take the highest.
apt-get $o update >/dev/null
best=$(apt-cache $o madison python3-pex | awk -F'|' '{gsub(/ /, "", $2); print $2}' |
       sort -V | tail -n 1)
[ -n "$best" ] || { say "python3-pex is not in the Debian archive"; exit 1; }
say "python3-pex $best"
cd "$w/debs"
apt-get $o download "python3-pex=$best" >/dev/null 2>&1
dpkg -x python3-pex_*.deb "$PREFIX"
cd "$HERE"
"$PY" -c 'import pkg_resources, wheel' 2>/dev/null ||
    say "note: $PY lacks pkg_resources or wheel (apt-get install python3-pkg-resources python3-wheel)"
run_line
