# lazyc: --policy all
"""`from __future__ import ...`, `from m import *` and imports under `if TYPE_CHECKING:`
are never made lazy, even under --policy all.

The future import keeps its compile-time effect and its runtime binding (the
module dict holds __future__.annotations itself); star imports run at import
time and bind their names in the module dict; a TYPE_CHECKING-only import
never runs and binds nothing.  A plain import in the same module is lazy.
"""
import __future__
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"


def main():
    import sf_mod
    ns = vars(sf_mod)
    assert ns["annotations"] is __future__.annotations, repr(ns.get("annotations"))
    assert sf_mod.annotated.__annotations__ == {"x": "sf_typing_only.T", "return": "sf_typing_only.T"}
    for n in ("sf_star_all", "sf_star_plain"):
        assert n in sys.modules, "%s must be imported eagerly" % n
    for n in ("STAR_ALL_A", "star_all_func", "PLAIN_A"):
        assert n in ns, "%s must be bound by the star import" % n
    assert ns["STAR_ALL_A"] == "all a" and ns["PLAIN_A"] == "plain a"
    assert "STAR_ALL_HIDDEN" not in ns and "_plain_private" not in ns
    assert "sf_typing_only" not in sys.modules and "sf_typing_only" not in ns
    assert not hasattr(sf_mod, "sf_typing_only")
    assert ("sf_control" in sys.modules) == (not LAZY), "control import"
    assert sf_mod.control() == "control"
    print("OK")


if __name__ == "__main__":
    main()
