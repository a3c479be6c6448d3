"""auto keeps an import eager when deferring it would not help or could change behaviour:
name never read (side effect), read at top level, in a class body, in a decorator, in a
default value, rebound or deleted elsewhere in the module.  Each is loaded right after
the module is imported in both modes.  A name read only inside a function is lazy
(the control).
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"
EAGER = ["ake_side_effect", "ake_top", "ake_class_body", "ake_decorator", "ake_default",
         "ake_rebound", "ake_deleted", "ake_rebound_in_fn"]


def main():
    import ake_mod as m
    for n in EAGER:
        assert n in sys.modules, "%s must stay eager under auto" % n
    assert ("ake_control" in sys.modules) == (not LAZY), "control import"
    assert m.TOP == "top" and m.C.attr == "class body" and m.decorated.tag == "deco"
    assert m.with_default() == "default"
    assert m.ake_rebound == "rebound"
    assert not hasattr(m, "ake_deleted")
    assert m.get_rebound_in_fn() is sys.modules["ake_rebound_in_fn"]
    m.rebind_in_fn()
    assert m.get_rebound_in_fn() == "rebound in fn"
    assert m.control() == "control"
    print("OK")


if __name__ == "__main__":
    main()
