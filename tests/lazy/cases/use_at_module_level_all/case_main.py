# lazyc: --policy all
"""--policy all: a module-level import is lazy until the module's own top-level code reads it.

top_all_mod records sys.modules between its statements: nothing is loaded by
the import statements; each top-level read (expression, augmented attribute
assignment, `if` test, `for` iterable) loads exactly its module.  Values equal.
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"


def main():
    import top_all_mod as m
    if LAZY:
        assert m.BEFORE == (False, False, False, False), m.BEFORE
        assert m.AFTER_X == (True, False, False, False), m.AFTER_X
        assert m.AFTER_Y == (True, True, False, False), m.AFTER_Y
        assert m.AFTER_COND == (True, True, True, False), m.AFTER_COND
    else:
        assert m.BEFORE == (True, True, True, True), m.BEFORE
    assert m.AFTER_LOOP == (True, True, True, True), m.AFTER_LOOP
    assert m.X == 84
    assert m.Y == 11
    assert m.Z == "cond"
    assert m.TOTAL == 6
    assert sys.modules["top_all_heavy"].COUNTER == 1
    print("OK")


if __name__ == "__main__":
    main()
