# lazyc-check: explain
"""Runner-level: `lazyc explain` (run on the compiled, not yet rewritten tree) lists every
import statement with its decision.  The runner matches each expect marker (lazy or
eager) of ex_mod.py (FILE by module name, LINE, first word lazy/eager after it)
against the output: lazy for names read only in functions, eager for a side-effect
import, a top-level read, try, star, TYPE_CHECKING, a function body and __future__.
The run itself checks the same decisions through sys.modules.
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"


def main():
    import ex_mod
    for n in ("ex_lazy_plain", "ex_lazy_from"):
        assert (n in sys.modules) == (not LAZY), n
    for n in ("ex_side_effect", "ex_top_level", "ex_in_try", "ex_star"):
        assert n in sys.modules, n
    assert "ex_in_function" not in sys.modules and "ex_type_checking" not in sys.modules
    assert ex_mod.uses() == ("plain", "from", "fn")
    print("OK")


if __name__ == "__main__":
    main()
