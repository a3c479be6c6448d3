"""First use inside a lambda body loads the module, even for an import placed after the lambda.

A lambda's default value is evaluated at import time, so auto keeps that import eager.
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"
LAZY_ONES = ["lam_heavy_a", "lam_heavy_b", "lam_heavy_c"]


def expect_only(loaded, when):
    for n in LAZY_ONES:
        want = (n in loaded) or not LAZY
        assert (n in sys.modules) == want, "%s: %s should%s be loaded" % (when, n, "" if want else " NOT")


def main():
    import lam_mod
    expect_only([], "after import lam_mod")
    assert "lam_heavy_d" in sys.modules, "a lambda default value is read at import time"

    assert lam_mod.get_a() == "A"
    expect_only(["lam_heavy_a"], "after get_a()")
    assert lam_mod.scaled(4) == 40
    expect_only(["lam_heavy_a", "lam_heavy_b"], "after scaled()")
    assert sorted(["z", "x", "y"], key=lam_mod.sorter_key) == ["y", "z", "x"]
    expect_only(LAZY_ONES, "after sorted()")
    assert lam_mod.with_default() == "D"
    assert lam_mod.nested()() == "A"
    print("OK")


if __name__ == "__main__":
    main()
