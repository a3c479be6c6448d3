"""A missing module: eagerly the import statement fails; rewritten, the import succeeds and
the FIRST USE raises ModuleNotFoundError (same type, same .name) whose __cause__ is an
ImportError naming the importing file and line (3.8-3.14; on 3.15 only the type of the
cause is checked).  Failures are not cached (the next use retries), and once sys.path
is fixed the same use succeeds.  Outside access (getattr) raises the same error.
"""
import importlib
import os
import re
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"
NATIVE = sys.version_info >= (3, 15)
HERE = os.path.dirname(os.path.abspath(__file__))


def import_line(path, text):
    with open(path) as f:
        for i, line in enumerate(f, 1):
            if text in line:
                return i
    raise AssertionError("%r not in %s" % (text, path))


def expect_mnf(fn, name, src_file=None, line=None):
    try:
        fn()
    except ModuleNotFoundError as e:
        assert e.name == name, (e.name, name)
        if LAZY:
            assert isinstance(e.__cause__, ImportError), repr(e.__cause__)
            if not NATIVE and src_file:
                msg = str(e.__cause__)
                assert os.path.basename(src_file) in msg, msg
                rest = msg.replace(os.path.dirname(src_file), "")
                assert re.search(r"\b%d\b" % line, rest), (line, msg)
        return e
    raise AssertionError("%s did not raise ModuleNotFoundError" % fn)


def main():
    later = os.path.join(HERE, "later")
    src = os.path.join(HERE, "miss_mod.py")
    line1 = import_line(src, "import miss_not_yet_there")
    line2 = import_line(src, "from miss_later_pkg.sub import LATER_VALUE")
    if LAZY:
        import miss_mod
        expect_mnf(miss_mod.use, "miss_not_yet_there", src, line1)
        expect_mnf(miss_mod.use, "miss_not_yet_there", src, line1)      # retried, fails again
        assert "miss_not_yet_there" not in sys.modules
        expect_mnf(lambda: getattr(miss_mod, "miss_not_yet_there"), "miss_not_yet_there")
        expect_mnf(miss_mod.use_from, "miss_later_pkg", src, line2)
        assert miss_mod.PLAIN == "plain"
    else:
        expect_mnf(lambda: importlib.import_module("miss_mod"), "miss_not_yet_there")
        assert "miss_mod" not in sys.modules
    sys.path.insert(0, later)
    importlib.invalidate_caches()
    import miss_mod
    assert miss_mod.use() == "now there"
    assert miss_mod.use_from() == "later value"
    assert miss_mod.miss_not_yet_there is sys.modules["miss_not_yet_there"]
    print("OK")


if __name__ == "__main__":
    main()
