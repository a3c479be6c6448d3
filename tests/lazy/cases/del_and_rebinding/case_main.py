# lazyc: --policy all
"""`del name` and rebinding before first use (--policy all, so these imports are lazy).

A module-level `del` of a pending name imports nothing and unbinds it; a
module-level or function (`global`) rebinding wins and imports nothing; a from-
import shadowed by an assignment imports nothing; `del` in a function through
`global` unbinds (a second del raises NameError, as eagerly); del followed by a
new import statement binds again.  Values and NameError messages equal eager ones.
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"
NEVER = ["del_never_used", "rebind_plain", "rebind_in_function", "rebind_from"]


def expect_name_error(fn, name):
    try:
        fn()
    except NameError as e:
        assert str(e) == "name '%s' is not defined" % name, str(e)
        return
    raise AssertionError("no NameError for %s" % name)


def main():
    import dr_mod as m
    for n in NEVER + ["del_in_function", "reimport_after_del"]:
        assert (n in sys.modules) == (not LAZY), "%s: wrong state after import" % n

    assert not hasattr(m, "del_never_used")
    expect_name_error(m.read_del_never_used, "del_never_used")
    assert m.rebind_plain == "rebound at top level"
    assert m.FROM_NAME == "shadowed"

    m.rebind()
    assert m.read_rebind_in_function() == "rebound in function"
    assert m.rebind_in_function == "rebound in function"

    m.delete()
    expect_name_error(m.read_del_in_function, "del_in_function")
    expect_name_error(m.delete, "del_in_function")
    assert not hasattr(m, "del_in_function")

    assert m.get_reimported() is sys.modules["reimport_after_del"]
    for n in NEVER:
        assert (n in sys.modules) == (not LAZY), "%s must never be imported when lazy" % n
    print("OK")


if __name__ == "__main__":
    main()
