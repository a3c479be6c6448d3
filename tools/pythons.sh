#!/bin/sh
# Find a CPython interpreter for every version lazyc supports and print
# "VERSION PATH" lines (one per version found) on stdout.
#
#   tools/pythons.sh [--provision] [PREFIX]
#
# 3.8-3.13 come from pyenv (`pyenv root`) or PATH.  3.14 and 3.15 are not in
# the machine image: with --provision they are unpacked from Debian's sid /
# experimental packages into PREFIX (default: .pythons/ in the project, which
# git ignores) and patched with patchelf to run through their own loader, so
# sys.executable works for subprocesses (the interpreters' own test suites
# need that).  The Debian mirror is read from the machine's apt sources; no
# host name lives in this repository.
set -eu

PROVISION=0
if [ "${1:-}" = "--provision" ]; then PROVISION=1; shift; fi
HERE=$(cd "$(dirname "$0")/.." && pwd)
PREFIX=${1:-$HERE/.pythons}
VERSIONS="3.8 3.9 3.10 3.11 3.12 3.13 3.14 3.15"

say() { echo "pythons: $*" >&2; }

# Print the first interpreter that really is version $1.
find_one() {
    v=$1
    cands="$PREFIX/bin/python$v"
    if command -v pyenv >/dev/null 2>&1; then
        root=$(pyenv root)
        for d in $(ls -d "$root"/versions/"$v".* 2>/dev/null | sort -t. -k3 -n -r); do
            cands="$cands $d/bin/python$v"
        done
    fi
    p=$(command -v "python$v" 2>/dev/null || true)
    [ -n "$p" ] && cands="$cands $p"
    for c in $cands; do
        [ -x "$c" ] || continue
        got=$("$c" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)
        if [ "$got" = "$v" ]; then echo "$c"; return 0; fi
    done
    return 1
}

provision() {
    command -v patchelf >/dev/null || {
        say "installing patchelf"
        apt-get update >/dev/null && apt-get install -y patchelf >/dev/null
    }
    uri=$("$HERE/tools/debian_mirror.sh" || true)
    [ -n "$uri" ] || { say "no Debian mirror in the apt sources"; return 1; }
    say "provisioning 3.14 and 3.15 from $uri (sid, experimental) into $PREFIX"
    w=$(mktemp -d)
    trap 'rm -rf "$w"' EXIT
    mkdir -p "$w/lists/partial" "$w/cache/archives/partial" "$w/debs" "$PREFIX/root" "$PREFIX/bin"
    {
        echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri sid main"
        echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri experimental main"
    } > "$w/sources.list"
    o="-o Dir::Etc::SourceList=$w/sources.list -o Dir::Etc::SourceParts=/dev/null"
    o="$o -o Dir::State::Lists=$w/lists -o Dir::Cache=$w/cache -o APT::Architecture=amd64"
    apt-get $o update >/dev/null
    cd "$w/debs"
    for v in 3.14 3.15; do
        for p in python$v-minimal libpython$v-minimal libpython$v-stdlib libpython$v-testsuite; do
            apt-get $o download "$p" >/dev/null 2>&1 || say "note: $p not downloaded"
        done
    done
    for p in libc6 libexpat1 libffi8 libgcc-s1 libssl3t64 libzstd1 zlib1g libbz2-1.0 \
             liblzma5 libsqlite3-0 libncursesw6 libtinfo6 libreadline8t64 libuuid1 \
             libmpdec4 libcrypt1; do
        apt-get $o download "$p" >/dev/null 2>&1 || say "note: $p not downloaded"
    done
    for d in *.deb; do dpkg -x "$d" "$PREFIX/root"; done
    r="$PREFIX/root"
    for v in 3.14 3.15; do
        [ -x "$r/usr/bin/python$v" ] || { say "python$v not in the packages"; continue; }
        patchelf --set-interpreter "$r/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" \
                 --force-rpath --set-rpath "$r/usr/lib/x86_64-linux-gnu:$r/lib/x86_64-linux-gnu" \
                 "$r/usr/bin/python$v"
        ln -sf "$r/usr/bin/python$v" "$PREFIX/bin/python$v"
    done
    cd "$HERE"
}

if [ "$PROVISION" = 1 ]; then
    if ! find_one 3.14 >/dev/null || ! find_one 3.15 >/dev/null; then
        provision
    fi
fi

missing=""
for v in $VERSIONS; do
    if p=$(find_one "$v"); then echo "$v $p"; else missing="$missing $v"; fi
done
[ -z "$missing" ] || say "MISSING interpreters:$missing"
