"""`import a.b as c` binds the submodule a.b (also three levels deep, and when the package
binds an attribute named like the submodule).  Nothing loads before first use; the
package name itself is not bound in the importing module.
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"
LAZY_ONES = ["asp.inner", "asp.inner.deep", "asp.shadow"]


def expect_only(loaded, when):
    for n in LAZY_ONES:
        want = (n in loaded) or not LAZY
        assert (n in sys.modules) == want, "%s: %s should%s be loaded" % (when, n, "" if want else " NOT")


def main():
    import as_mod
    expect_only([], "after import as_mod")
    assert not hasattr(as_mod, "asp")
    c = as_mod.get_c()
    assert c is sys.modules["asp.inner"], c
    assert c.NAME == "inner"
    expect_only(["asp.inner"], "after get_c()")
    d = as_mod.get_d()
    assert d is sys.modules["asp.inner.deep"], d
    assert d.NAME == "deep"
    expect_only(["asp.inner", "asp.inner.deep"], "after get_d()")
    s = as_mod.get_s()
    assert s is sys.modules["asp.shadow"], s
    assert s.NAME == "shadow submodule"
    assert as_mod.c is c and as_mod.d is d
    assert not hasattr(as_mod, "asp")
    print("OK")


if __name__ == "__main__":
    main()
