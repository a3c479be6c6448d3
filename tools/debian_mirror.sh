#!/bin/sh
# Print the Debian mirror of this machine's apt sources (deb822 sources first,
# then one-line sources; the first Debian mirror wins), so no host name lives
# in this repository.  Exit 1 when there is none.
#   Used by tools/pythons.sh and tools/pex.sh.
set -eu
{
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk '/^URIs:/ && $2 ~ /debian\/?$/ {print $2; exit}' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file):/ && $i ~ /debian\/?$/) { print $i; exit } }' "$f"
    done
} | { read -r uri && echo "$uri"; }
