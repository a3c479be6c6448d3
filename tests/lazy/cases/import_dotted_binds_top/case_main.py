"""`import a.b.c` binds `a`; `a`, `a.b` and `a.b.c` are all usable after first use.

dot_mod uses the leaf first (loads the three modules); dot_mod2 uses the top
package first, then the middle package and the leaf through it.  Nothing loads
before the first use.  (Which of a.b / a.b.c a use of `a` alone loads is not
checked: PEP 810 loads only `a`, other designs may load all.)
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"


def expect(names, loaded, when):
    for n in names:
        want = loaded or not LAZY
        assert (n in sys.modules) == want, "%s: %s should%s be loaded" % (when, n, "" if want else " NOT")


def main():
    import dot_mod
    import dot_mod2
    tree = ["dot_top", "dot_top.mid", "dot_top.mid.leaf"]
    tree2 = ["dot_top2", "dot_top2.mid", "dot_top2.mid.leaf"]
    expect(tree + tree2, False, "after the imports")
    assert not hasattr(dot_mod, "mid") and not hasattr(dot_mod, "leaf")

    assert dot_mod.get_leaf() == "leaf"
    expect(tree, True, "after get_leaf()")
    expect(tree2, False, "after get_leaf()")
    assert dot_mod.get_top() == "top" and dot_mod.get_mid() == "mid"
    assert dot_mod.dot_top is sys.modules["dot_top"]
    assert dot_mod.dot_top.mid.leaf is sys.modules["dot_top.mid.leaf"]

    assert dot_mod2.get_top() == "top2"
    expect(["dot_top2"], True, "after get_top()")
    assert dot_mod2.get_mid() == "mid2"
    assert dot_mod2.get_leaf() == "leaf2"
    expect(tree2, True, "after get_leaf()")
    assert dot_mod2.dot_top2 is sys.modules["dot_top2"]
    print("OK")


if __name__ == "__main__":
    main()
