# lazyc: --policy all
"""`from m import *` of a module with pending lazy imports gives the star-importer exactly
the names (and values) it gets eagerly: with __all__ (the listed names, pending ones
included) and without __all__ (every public name, including names bound by pending
imports; no private ones).  Before the star import the exporter's imports are pending;
an unexported pending import stays pending after a star import that uses __all__.
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"

EXPECT_ALL = ["EXP_FROM", "PLAIN_ALL", "exp_all_heavy", "helper"]
EXPECT_NOALL = ["NOALL_FROM", "PLAIN_NOALL", "exp_noall_heavy", "exp_noall_pkg", "noall_helper"]


def main():
    import exp_all
    import exp_noall
    pending = ["exp_all_heavy", "exp_all_unexported", "exp_all_from",
               "exp_noall_heavy", "exp_noall_private", "exp_noall_from", "exp_noall_pkg.sub"]
    for n in pending:
        assert (n in sys.modules) == (not LAZY), "%s: wrong state before the star imports" % n

    import star_user_all as sa
    assert sa.GOT == EXPECT_ALL, sa.GOT
    assert sa.exp_all_heavy is sys.modules["exp_all_heavy"]
    assert sa.EXP_FROM == "exp from" and sa.PLAIN_ALL == 1
    assert ("exp_all_unexported" in sys.modules) == (not LAZY), "not in __all__: stays pending"
    assert sa.helper() == ("all heavy", "unexported")
    assert "exp_all_unexported" in sys.modules

    import star_user_noall as sn
    assert sn.GOT == EXPECT_NOALL, sn.GOT
    assert sn.exp_noall_heavy is sys.modules["exp_noall_heavy"]
    assert sn.NOALL_FROM == "noall from" and sn.PLAIN_NOALL == 2
    assert sn.exp_noall_pkg is sys.modules["exp_noall_pkg"]
    assert sn.exp_noall_pkg.sub.SUB == "sub"
    assert sn.noall_helper() == ("noall heavy", "private", "noall from", "hidden")
    print("OK")


if __name__ == "__main__":
    main()
