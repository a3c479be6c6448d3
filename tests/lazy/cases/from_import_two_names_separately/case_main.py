"""`from pkg import a, b, CONST`: each name resolves on its own and loads only its own submodule.

Using the package constant loads the package only; using `a` loads pkg.a but
not pkg.b; `b` loads pkg.b.  A second from-import of other submodules, made
after the package is loaded, is lazy too.
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"
FIRST = ["two_pkg", "two_pkg.alpha", "two_pkg.beta"]
LATE = ["two_pkg.gamma", "two_pkg.delta"]


def expect_only(loaded, when, names=FIRST):
    for n in names:
        want = (n in loaded) or not LAZY
        assert (n in sys.modules) == want, "%s: %s should%s be loaded" % (when, n, "" if want else " NOT")


def main():
    import two_user
    expect_only([], "after import two_user")
    assert two_user.use_const() == "const"
    expect_only(["two_pkg"], "after use_const()")
    assert two_user.use_alpha() == "alpha"
    expect_only(["two_pkg", "two_pkg.alpha"], "after use_alpha()")
    assert two_user.use_beta() == "beta"
    expect_only(["two_pkg", "two_pkg.alpha", "two_pkg.beta"], "after use_beta()")
    assert two_user.alpha is sys.modules["two_pkg.alpha"]

    import two_user_late          # two_pkg is loaded now, gamma and delta are not
    expect_only([], "after import two_user_late", LATE)
    assert two_user_late.use_delta() == "delta"
    expect_only(["two_pkg.delta"], "after use_delta()", LATE)
    assert two_user_late.use_gamma() == "gamma"
    expect_only(LATE, "after use_gamma()", LATE)
    import two_pkg
    assert two_pkg.gamma is sys.modules["two_pkg.gamma"]
    print("OK")


if __name__ == "__main__":
    main()
