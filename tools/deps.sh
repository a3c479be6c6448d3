#!/bin/sh
# Install what lazyc needs to build and test, from Debian's packages, and
# provision the CPython interpreters (3.8-3.13 from pyenv, 3.14/3.15 from
# Debian sid/experimental into .pythons/).  Safe to run again.
set -eu
HERE=$(cd "$(dirname "$0")/.." && pwd)
PKGS="meson ninja-build pkg-config libarchive-dev check python3-dev libjansson-dev libssl-dev unzip zip patchelf clang libclang-rt-14-dev python3-installer"

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "deps: installing$missing" >&2
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing >/dev/null
fi
"$HERE/tools/pythons.sh" --provision >&2
