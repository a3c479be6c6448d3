"""An import whose name is read only by code that never runs is never loaded.

Under the default policy (auto) a name read only inside a function, or listed
in __all__, is lazy; an import whose name is never read and not exported is a
side-effect import and stays eager (its side effect must happen at import).
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"


def expect(names, loaded, when):
    state = {n: n in sys.modules for n in names}
    bad = sorted(n for n, v in state.items() if v != loaded)
    assert not bad, "%s: expected %s: %s" % (when, "loaded" if loaded else "NOT loaded", bad)


def main():
    import unused_mod     # a function-level import is always eager
    heavy = ["unused_heavy_fn", "unused_heavy_from", "unused_heavy_exported"]
    expect(heavy, not LAZY, "after import unused_mod")
    # The side-effect import ran in both modes.
    expect(["unused_side_effect", "unused_registry"], True, "after import unused_mod")
    import unused_registry
    assert unused_registry.ITEMS == ["unused_side_effect registered"], unused_registry.ITEMS

    # Touching other attributes of the module loads nothing.
    assert unused_mod.PLAIN == "plain"
    assert callable(unused_mod.never_called)
    assert unused_mod.__all__ == ["unused_heavy_exported", "never_called"]
    expect(heavy, not LAZY, "after reading other attributes")
    print("OK")


if __name__ == "__main__":
    main()
