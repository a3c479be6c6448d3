# lazyc: --policy all
# lazyc-check: rewrite-twice
"""Runner-level: `lazyc rewrite` on an already rewritten tree changes no byte (the runner
hashes every file after the first and the second rewrite).  The tree mixes every
statement form (plain, dotted, as, from, multi-name from, relative, star, try, class,
function) so the second pass meets every kind of rewritten code.  The run itself
checks that the twice-rewritten tree still behaves.
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"


def main():
    import rt_mod
    pending = ["rt_plain", "rt_pkg.sub.leaf", "rt_as", "rt_from", "rt_pkg.rel"]
    for n in pending:
        assert (n in sys.modules) == (not LAZY), n
    assert "rt_try" in sys.modules and "rt_star" in sys.modules
    assert rt_mod.uses() == ("plain", "leaf", "as", ("f1", "f2"), "rel", "try", "star", "fn", "cls")
    for n in pending:
        assert n in sys.modules, n
    print("OK")


if __name__ == "__main__":
    main()
