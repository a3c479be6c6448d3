# lazyc: --policy all
"""A package __init__ that imports its own submodule S and also binds the name S keeps the
eager result: `from .bar import Bar; bar = "x"` leaves bar == "x" (never clobbered by a
late submodule import), `quux = "early"; from .quux import Quux` rebinds quux to the
submodule as eagerly.  Such imports stay eager even under --policy all; a submodule
import whose name the package does not bind (`from .baz import Baz`) is lazy, and
resolving it later clobbers nothing.  A from-import of the package attribute `bar` from
another module gets the package value, not the submodule.
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"


def check_attrs(pkg):
    assert pkg.bar == "package value", repr(pkg.bar)
    assert pkg.quux is sys.modules["clob_pkg.quux"], repr(pkg.quux)
    assert pkg.Bar.__module__ == "clob_pkg.bar"
    assert pkg.Quux.__module__ == "clob_pkg.quux"


def main():
    import clob_pkg
    for n in ("clob_pkg.bar", "clob_pkg.quux"):
        assert n in sys.modules, "%s must be imported eagerly" % n
    assert ("clob_pkg.baz" in sys.modules) == (not LAZY)
    check_attrs(clob_pkg)

    assert clob_pkg.Baz.__module__ == "clob_pkg.baz"      # resolves the pending from-import
    assert "clob_pkg.baz" in sys.modules
    assert clob_pkg.baz is sys.modules["clob_pkg.baz"]
    check_attrs(clob_pkg)

    import clob_user
    assert clob_user.get_bar() == "package value"
    check_attrs(clob_pkg)
    assert clob_pkg.uses() == ("Bar", "Quux", "Baz")
    check_attrs(clob_pkg)
    print("OK")


if __name__ == "__main__":
    main()
