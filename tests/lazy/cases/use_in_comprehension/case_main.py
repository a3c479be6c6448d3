"""First use inside list/dict/set comprehensions loads the module.

Covers a use in the element expression, in the outermost iterable (evaluated in
the enclosing scope), in the condition, in dict and set comprehensions, in a
nested comprehension, an element that never runs (empty iterable: nothing
loads), and a comprehension under `if __name__ == "__main__":` at module level.
"""
import os
import sys
import comp_main_heavy          # expect: lazy

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"


def loaded_with_prefix(prefix):
    # The module's own lazy import is checked through a prefix: a string constant
    # equal to the bound name could make a conservative tool keep it eager.
    return any(k.startswith(prefix) for k in sys.modules)
LAZY_ONES = ["comp_heavy_elem", "comp_heavy_iter", "comp_heavy_cond", "comp_heavy_dict",
             "comp_heavy_set", "comp_heavy_nested"]


def expect_only(loaded, when):
    for n in LAZY_ONES:
        want = (n in loaded) or not LAZY
        assert (n in sys.modules) == want, "%s: %s should%s be loaded" % (when, n, "" if want else " NOT")


def main():
    import comp_mod as m
    expect_only([], "after import comp_mod")
    assert m.empty_iter() == []
    expect_only([], "after empty_iter()")
    done = []
    for fn, mod, want in [
        (m.list_elem, "comp_heavy_elem", [0, 10, 20]),
        (m.list_iter, "comp_heavy_iter", [2, 4, 6]),
        (m.list_cond, "comp_heavy_cond", [0, 3]),
        (m.dict_comp, "comp_heavy_dict", {"a": 1, "b": 2}),
        (m.set_comp, "comp_heavy_set", {"a", "b"}),
        (m.nested, "comp_heavy_nested", [[100, 101], [101, 102]]),
    ]:
        got = fn()
        assert got == want, (fn.__name__, got)
        done.append(mod)
        expect_only(done, "after %s()" % fn.__name__)
        assert fn() == want


if __name__ == "__main__":
    assert loaded_with_prefix("comp_main_") == (not LAZY)
    main()
    VALUES = [comp_main_heavy.VALUE + i for i in range(2)]
    assert VALUES == [7, 8], VALUES
    assert loaded_with_prefix("comp_main_")
    print("OK")
