# lazyc: --policy all
"""Imports inside functions, methods, closures and class bodies stay eager, even under
--policy all: class-body imports load when the class statement runs (right after
the module is imported), function imports load when the function runs and bind
real module objects.  A module-level import beside them is lazy (control).
"""
import os
import sys
import types

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"


def main():
    import fc_mod
    for n in ("fc_in_class_body", "fc_from_in_class", "fc_in_nested_class"):
        assert n in sys.modules, "%s must be imported by the class statement" % n
    for n in ("fc_in_function", "fc_from_in_function", "fc_in_closure", "fc_in_method"):
        assert n not in sys.modules, "%s: the function has not run" % n
    assert ("fc_control" in sys.modules) == (not LAZY), "control import"

    assert fc_mod.WithImport.fc_in_class_body is sys.modules["fc_in_class_body"]
    assert fc_mod.WithImport.CLASS_FROM == "class from"
    assert fc_mod.Outer.Nested.fc_in_nested_class is sys.modules["fc_in_nested_class"]

    m = fc_mod.load_in_function()
    assert type(m) is types.ModuleType and m is sys.modules["fc_in_function"]
    assert fc_mod.load_from_in_function() == "from in function"
    assert "fc_from_in_function" in sys.modules

    inner = fc_mod.closure_maker()
    assert "fc_in_closure" in sys.modules, "the function ran its import statement"
    assert inner() == "closure"
    assert fc_mod.WithImport().method() is sys.modules["fc_in_method"]
    assert fc_mod.control() == "control"
    print("OK")


if __name__ == "__main__":
    main()
