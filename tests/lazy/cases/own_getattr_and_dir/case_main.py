# lazyc: --policy all
"""(Policy all: auto keeps every import of a module with its own __getattr__ eager.)
A module with its own PEP 562 __getattr__ / __dir__ keeps working when it has pending imports.

Its __getattr__ answers the names it owns (and raises its own AttributeError for
others) without loading anything; it is never asked for the module's own lazily
imported names; `from mod import dynamic` works; dir(mod) still contains what
its __dir__ returns (eagerly: exactly that).  A __getattr__ bound by assignment
(not `def`) works too.
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"
LAZY_ONES = ["ga_heavy", "ga_heavy_from", "ga2_heavy"]


def expect_only(loaded, when):
    for n in LAZY_ONES:
        want = (n in loaded) or not LAZY
        assert (n in sys.modules) == want, "%s: %s should%s be loaded" % (when, n, "" if want else " NOT")


def check_dir(mod, own):
    listing = dir(mod)
    if LAZY:
        assert set(own) <= set(listing), listing
        assert listing == sorted(listing)
    else:
        assert listing == sorted(own), listing


def main():
    import ga_mod
    import ga_mod2
    expect_only([], "after the imports")

    assert ga_mod.dynamic == "dynamic value"
    assert ga_mod.CALLS == ["dynamic"], ga_mod.CALLS
    try:
        ga_mod.missing
    except AttributeError as e:
        assert str(e) == "custom: no missing", str(e)
    else:
        raise AssertionError("no AttributeError")
    assert getattr(ga_mod, "missing2", None) is None
    from ga_mod import dynamic
    assert dynamic == "dynamic value"
    check_dir(ga_mod, ["alpha_custom", "zeta_custom"])
    expect_only([], "after using the module's own __getattr__ and __dir__")

    assert ga_mod.ga_heavy.VALUE == "heavy"
    expect_only(["ga_heavy"], "after ga_mod.ga_heavy")
    assert ga_mod.FROM_VAL == "from value"
    expect_only(["ga_heavy", "ga_heavy_from"], "after ga_mod.FROM_VAL")
    assert "ga_heavy" not in ga_mod.CALLS and "FROM_VAL" not in ga_mod.CALLS, ga_mod.CALLS
    assert ga_mod.use() == ("heavy", "from value")

    # Everything resolved: the module's own hooks are still in charge.
    assert ga_mod.dynamic == "dynamic value"
    assert ga_mod.__getattr__("dynamic") == "dynamic value"
    check_dir(ga_mod, ["alpha_custom", "zeta_custom"])

    assert ga_mod2.made == "made: made"
    expect_only(["ga_heavy", "ga_heavy_from"], "after ga_mod2.made")
    assert ga_mod2.use() == "heavy2"
    expect_only(LAZY_ONES, "after ga_mod2.use()")
    print("OK")


if __name__ == "__main__":
    main()
