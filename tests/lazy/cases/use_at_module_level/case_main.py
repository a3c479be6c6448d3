"""auto keeps an import eager when its name is read at import time (module top level).

top_mod reads its imports at module level: loaded right after import in both
modes, values right.  case_main's own import is read only inside
`if __name__ == "__main__":`, which auto does not count as import time: lazy
until that block reads it.
"""
import os
import sys
import main_only_heavy      # expect: lazy

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"


def loaded_with_prefix(prefix):
    # The module's own lazy import is checked through a prefix: a string constant
    # equal to the bound name could make a conservative tool keep it eager.
    return any(k.startswith(prefix) for k in sys.modules)


def main():
    import top_mod
    for n in ("top_heavy", "top_heavy_from", "top_heavy_cond"):
        assert n in sys.modules, "%s must be loaded (read at import time)" % n
    assert top_mod.X == 84
    assert top_mod.Y == 11
    assert top_mod.Z == "cond"


if __name__ == "__main__":
    assert loaded_with_prefix("main_only_") == (not LAZY), "the __main__-only import loaded too early"
    main()
    assert main_only_heavy.VALUE == "main only"
    assert loaded_with_prefix("main_only_")
    print("OK")
