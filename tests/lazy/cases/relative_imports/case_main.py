"""Relative imports (`from . import x`, `from .m import y`, `from ..m import y`,
`from .. import m as alias`, `from .deeper.leaf import z`, and a from-import in a
package __init__) resolve against the importing module's package, lazily.
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"
LAZY_ONES = ["rel_pkg.sub.sibling", "rel_pkg.sub.other", "rel_pkg.top_helper",
             "rel_pkg.sub.deeper", "rel_pkg.sub.deeper.leaf"]
# A package __init__ importing its own submodule stays eager under auto
# (registration side effects): rel_pkg.sub.initdep is loaded with rel_pkg.sub.


def expect_only(loaded, when):
    for n in LAZY_ONES:
        want = (n in loaded) or not LAZY
        assert (n in sys.modules) == want, "%s: %s should%s be loaded" % (when, n, "" if want else " NOT")


def main():
    import rel_pkg.sub.user as user
    expect_only([], "after import rel_pkg.sub.user")
    assert "rel_pkg.sub.initdep" in sys.modules
    done = []
    assert user.get_sibling() == "sib"
    done.append("rel_pkg.sub.sibling")
    expect_only(done, "after get_sibling()")
    assert user.sibling is sys.modules["rel_pkg.sub.sibling"]

    assert user.get_other() == "other"
    done.append("rel_pkg.sub.other")
    expect_only(done, "after get_other()")

    assert user.get_helper() == "helper"
    done.append("rel_pkg.top_helper")
    expect_only(done, "after get_helper()")
    assert user.get_th() is sys.modules["rel_pkg.top_helper"]

    assert user.get_leaf() == "leaf"
    done += ["rel_pkg.sub.deeper", "rel_pkg.sub.deeper.leaf"]
    expect_only(done, "after get_leaf()")

    import rel_pkg.sub
    assert rel_pkg.sub.INIT_VALUE == "init dep"
    expect_only(done, "after rel_pkg.sub.INIT_VALUE")
    assert rel_pkg.sub.get_init_value() == "init dep"
    assert rel_pkg.sub.sibling is sys.modules["rel_pkg.sub.sibling"]
    print("OK")


if __name__ == "__main__":
    main()
