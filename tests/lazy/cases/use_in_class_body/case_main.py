# lazyc: --policy all
"""First use in a class body, base-class list, decorator and default value loads the module.

--policy all makes the module-level imports of cls_mod lazy even though class
bodies read them at import time: nothing is loaded before the class statement,
the class statement loads exactly what it reads, and a class statement inside a
function loads its module only when the function runs.
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"


def main():
    import cls_mod
    if LAZY:
        assert cls_mod.BEFORE == (False,) * 6, cls_mod.BEFORE
        assert cls_mod.AFTER_CLASS == (True, True, True, True, False, False), cls_mod.AFTER_CLASS
        assert "cls_heavy_late" not in sys.modules
    else:
        assert cls_mod.BEFORE == (True,) * 6, cls_mod.BEFORE
    w = cls_mod.WithBody()
    assert cls_mod.WithBody.value == "body"
    assert cls_mod.WithBody.doubled == ["body", "body"]
    assert w.method() == "default"
    assert w.method.decorated is True
    assert isinstance(w, sys.modules["cls_heavy_base"].Base)
    assert cls_mod.WithBody.Nested.inner == "body!"

    inner = cls_mod.make_class()
    assert inner.late == "late"
    assert "cls_heavy_late" in sys.modules
    assert cls_mod.make_class_free()().free == "free"
    assert "cls_heavy_free" in sys.modules
    print("OK")


if __name__ == "__main__":
    main()
