"""Access from another module loads a pending import: `mod.name`, getattr, hasattr,
and `from mod import name` (at module level of another module and inside a function).

Each access loads only its own module; unrelated attribute reads load nothing;
missing attributes behave exactly as eagerly (AttributeError with the standard
message, getattr default, hasattr False).
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"
LAZY_ONES = ["oa_heavy_attr", "oa_heavy_getattr", "oa_heavy_hasattr", "oa_heavy_fromimp",
             "oa_heavy_name", "oa_heavy_infunc", "oa_heavy_untouched"]


def expect_only(loaded, when):
    for n in LAZY_ONES:
        want = (n in loaded) or not LAZY
        assert (n in sys.modules) == want, "%s: %s should%s be loaded" % (when, n, "" if want else " NOT")


def main():
    import holder_mod
    expect_only([], "after import holder_mod")
    assert holder_mod.PLAIN == "plain"
    assert not hasattr(holder_mod, "does_not_exist")
    assert getattr(holder_mod, "does_not_exist", 7) == 7
    try:
        holder_mod.does_not_exist
    except AttributeError as e:
        assert str(e) == "module 'holder_mod' has no attribute 'does_not_exist'", str(e)
    else:
        raise AssertionError("no AttributeError")
    expect_only([], "after reading other attributes")

    done = ["oa_heavy_attr"]
    assert holder_mod.oa_heavy_attr.VALUE == "attr"
    expect_only(done, "after holder_mod.oa_heavy_attr")
    assert holder_mod.oa_heavy_attr is sys.modules["oa_heavy_attr"]

    done.append("oa_heavy_getattr")
    assert getattr(holder_mod, "oa_heavy_getattr").VALUE == "getattr"
    expect_only(done, "after getattr()")

    done.append("oa_heavy_hasattr")
    assert hasattr(holder_mod, "oa_heavy_hasattr")
    expect_only(done, "after hasattr()")
    assert holder_mod.oa_heavy_hasattr is sys.modules["oa_heavy_hasattr"]

    import other_user       # `from holder_mod import oa_heavy_fromimp, NAME_VALUE` at its top level
    done += ["oa_heavy_fromimp", "oa_heavy_name"]
    expect_only(done, "after import other_user")
    assert other_user.COPIED == ("fromimp", "name value")
    assert other_user.oa_heavy_fromimp is sys.modules["oa_heavy_fromimp"]
    assert holder_mod.NAME_VALUE == "name value"

    from holder_mod import oa_heavy_infunc
    done.append("oa_heavy_infunc")
    expect_only(done, "after a function-level from-import")
    assert oa_heavy_infunc is sys.modules["oa_heavy_infunc"]
    expect_only(done, "before _uses()")          # oa_heavy_untouched is still pending
    got = holder_mod._uses()
    assert got[4] == "name value"
    for value, n in zip(got, LAZY_ONES):
        if n != "oa_heavy_name":
            assert value is sys.modules[n], n
    print("OK")


if __name__ == "__main__":
    main()
