#!/bin/sh
# demo.sh LAZYC - lazyc's main job on its built-in demo input
# (tests/data/demo/demoapp, a small CLI package) with every interpreter found:
# compile it, show `lazyc explain` once, rewrite a copy with `lazyc rewrite`,
# then run each command of the app from the original and from the rewritten
# tree: the output must be identical, and fewer modules are loaded.
set -eu
LAZYC=$1
HERE=$(cd "$(dirname "$0")/.." && pwd)
SRC=$HERE/tests/data/demo/demoapp
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
unset PYTHONDONTWRITEBYTECODE
"$HERE/tools/pythons.sh" > "$W/pythons"
fail=0
while read -r v py; do
    mkdir -p "$W/$v/eager"
    cp -r "$SRC" "$W/$v/eager/demoapp"
    "$py" -m compileall -q "$W/$v/eager" >/dev/null
    cp -a "$W/$v/eager" "$W/$v/lazy"
    echo "== CPython $v ($py)"
    if [ "$v" = "3.12" ]; then
        "$LAZYC" explain "$W/$v/eager" | sed "s|$W/$v/eager/||"
    fi
    "$LAZYC" rewrite "$W/$v/lazy"
    for cmd in "--version" "stats 1 2 3.5" "report" "mail ops@example.org"; do
        for t in eager lazy; do
            # shellcheck disable=SC2086
            (cd "$W/$v/$t" && PYTHONDONTWRITEBYTECODE=1 "$py" -m demoapp $cmd \
                > "$W/$v/$t.out" 2> "$W/$v/$t.err") || { echo "  $t run of '$cmd' failed:"; cat "$W/$v/$t.err"; fail=1; }
        done
        if cmp -s "$W/$v/eager.out" "$W/$v/lazy.out"; then
            printf '  %-24s same output; %s eager, %s lazy\n' "demoapp $cmd" \
                "$(sed -n 's/modules loaded: //p' "$W/$v/eager.err")" \
                "$(sed -n 's/modules loaded: //p' "$W/$v/lazy.err") modules"
        else
            echo "  demoapp $cmd: OUTPUT DIFFERS"; diff "$W/$v/eager.out" "$W/$v/lazy.out" || true
            fail=1
        fi
    done
done < "$W/pythons"
exit $fail
