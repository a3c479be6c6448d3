"""First use inside a function (plain function, closure, method, `global`) loads the module.

Each lazy import loads exactly when a function that reads its name first runs,
and only that one; the bound value is the real module / attribute.
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"
ALL = ["fn_heavy_a", "fn_heavy_b", "fn_heavy_c", "fn_heavy_d"]


def expect_only(loaded, when):
    """`loaded` must be in sys.modules; the rest of ALL must not be (when lazy)."""
    for n in ALL:
        want = (n in loaded) or not LAZY
        assert (n in sys.modules) == want, "%s: %s should%s be loaded" % (when, n, "" if want else " NOT")


def main():
    import fn_mod
    expect_only([], "after import fn_mod")

    assert fn_mod.get_a() == "A"
    expect_only(["fn_heavy_a"], "after get_a()")
    assert fn_mod.get_a() == "A"          # second call: steady state
    assert fn_mod.fn_heavy_a is sys.modules["fn_heavy_a"]

    assert fn_mod.get_b() == ("B", "made b")
    expect_only(["fn_heavy_a", "fn_heavy_b"], "after get_b()")

    inner = fn_mod.outer()
    expect_only(["fn_heavy_a", "fn_heavy_b"], "after outer() (closure not called yet)")
    assert inner() == "C"
    expect_only(["fn_heavy_a", "fn_heavy_b", "fn_heavy_c"], "after the closure ran")

    assert fn_mod.Holder().method() == "AAA"
    assert fn_mod.with_global() == "D"
    expect_only(ALL, "after with_global()")
    assert fn_mod.twice() == "AA"
    assert fn_mod.c_alias is sys.modules["fn_heavy_c"]
    print("OK")


if __name__ == "__main__":
    main()
