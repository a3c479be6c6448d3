# lazyc: --policy all
"""`import p.x` and `import p.y` (both bind `p`): both submodules usable after the first use of p.

sib_mod uses the package first, then each submodule through it; sib2_mod uses
the second sibling first.  Nothing loads before the first use.  --policy all,
because whether auto treats the second statement as a rebinding of `p` is
not part of this case.
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"


def expect(names, loaded, when):
    for n in names:
        want = loaded or not LAZY
        assert (n in sys.modules) == want, "%s: %s should%s be loaded" % (when, n, "" if want else " NOT")


def main():
    import sib_mod
    import sib2_mod
    expect(["sib", "sib.x", "sib.y", "sib2", "sib2.x", "sib2.y"], False, "after the imports")

    assert sib_mod.top() == "top"
    expect(["sib"], True, "after top()")
    assert sib_mod.get_x() == "x"
    assert sib_mod.get_y() == "y"
    expect(["sib", "sib.x", "sib.y"], True, "after get_x(), get_y()")
    assert sib_mod.sib is sys.modules["sib"]
    assert sib_mod.sib.x is sys.modules["sib.x"] and sib_mod.sib.y is sys.modules["sib.y"]

    expect(["sib2", "sib2.x", "sib2.y"], False, "before sib2 is used")
    assert sib2_mod.get_y() == "y2"
    expect(["sib2", "sib2.y"], True, "after get_y()")
    assert sib2_mod.get_x() == "x2"
    assert sib2_mod.top() == "top2"
    expect(["sib2", "sib2.x", "sib2.y"], True, "after get_x()")
    print("OK")


if __name__ == "__main__":
    main()
