"""dir(mod) lists the names bound by pending imports without loading them.

The public names of dir(dir_mod) are exactly the eager ones (the runtime may
add private names of its own, which this case tolerates), the list is sorted,
nothing loads, and after a use the name is still listed.
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"
LAZY_ONES = ["dir_heavy_mod", "dir_heavy_from", "dir_heavy_pkg", "dir_heavy_pkg.sub"]
PUBLIC = ["PLAIN", "dir_heavy_mod", "dir_heavy_pkg", "dir_name", "helper"]


def expect_only(loaded, when):
    for n in LAZY_ONES:
        want = (n in loaded) or not LAZY
        assert (n in sys.modules) == want, "%s: %s should%s be loaded" % (when, n, "" if want else " NOT")


def main():
    import dir_mod
    expect_only([], "after import dir_mod")
    listing = dir(dir_mod)
    assert listing == sorted(listing), listing
    public = [n for n in listing if not n.startswith("_")]
    assert public == PUBLIC, public
    for n in ("__name__", "__doc__", "__file__", "_private"):
        assert n in listing, n
    expect_only([], "after dir(dir_mod)")

    assert dir_mod.dir_name == "from value"
    expect_only(["dir_heavy_from"], "after dir_mod.dir_name")
    assert [n for n in dir(dir_mod) if not n.startswith("_")] == PUBLIC
    expect_only(["dir_heavy_from"], "after the second dir()")

    assert dir_mod.helper() == ("mod", "sub")
    expect_only(LAZY_ONES, "after helper()")
    assert [n for n in dir(dir_mod) if not n.startswith("_")] == PUBLIC
    print("OK")


if __name__ == "__main__":
    main()
