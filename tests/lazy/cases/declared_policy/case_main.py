# lazyc: --policy declared
"""--policy declared: only the targets listed in the module's `__lazy_modules__` are lazy.

Listed absolute imports, from-imports and a relative from-import (listed by its
resolved name) are lazy; unlisted ones are eager although auto would make them
lazy; for `import a.b` the name tested is "a.b", so listing only "a" keeps it
eager.  On 3.15 the interpreter itself honours __lazy_modules__, so there the
listed imports are lazy in the eager baseline as well.
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"
LISTED_LAZY = LAZY or sys.version_info >= (3, 15)
LISTED = ["decl_listed", "decl_listed_from", "decl_pkg.sub", "decl_rel_pkg.rel"]
UNLISTED = ["decl_unlisted", "decl_unlisted_from", "decl_pkg2.sub", "decl_rel_pkg.rel_unlisted"]


def main():
    import decl_mod
    import decl_rel_pkg.user
    for n in LISTED:
        assert (n in sys.modules) == (not LISTED_LAZY), "%s (listed): wrong state" % n
    for n in UNLISTED:
        assert n in sys.modules, "%s (not listed) must be eager" % n
    assert decl_mod.uses() == ("listed", "unlisted", "lf", "uf", "sub", "sub2")
    assert decl_rel_pkg.user.uses() == ("rel", "rel unlisted")
    for n in LISTED + UNLISTED:
        assert n in sys.modules, n
    print("OK")


if __name__ == "__main__":
    main()
