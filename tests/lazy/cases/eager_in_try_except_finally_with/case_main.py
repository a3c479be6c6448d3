# lazyc: --policy all
"""Imports inside try / except / finally / with stay eager, even under --policy all.

Each is loaded right after the module is imported, in both modes; an optional
import of a missing module inside try/except falls back at import time; a
`with` block whose context manager suppresses ImportError swallows the missing
import at import time.  A plain module-level import in the same module is lazy
(the control that shows the module was rewritten).
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"
EAGER_ONES = ["tw_in_try", "tw_in_except", "tw_in_finally", "tw_in_with", "tw_in_with_from",
              "tw_nested_in_try", "tw_in_if_try"]


def main():
    import tw_mod
    for n in EAGER_ONES:
        assert n in sys.modules, "%s must be imported eagerly" % n
    assert ("tw_control" in sys.modules) == (not LAZY), "control import"
    assert tw_mod.tw_missing_optional is None
    assert not hasattr(tw_mod, "tw_missing_in_with")
    assert tw_mod.SUPPRESSED == ["ModuleNotFoundError"], tw_mod.SUPPRESSED
    assert tw_mod.tw_in_try is sys.modules["tw_in_try"]
    assert tw_mod.WITH_FROM == "with from"
    assert tw_mod.uses() == ("control", "try", "except", "finally", "with", "nested", "if try")
    assert "tw_control" in sys.modules
    print("OK")


if __name__ == "__main__":
    main()
